/**
 * Go's fmt verbs as Prometheus templates use them (printf, humanize*, and how `{{ $value }}`
 * prints a float64): %v %s %d %f %e %g %q %x %t %%, with flags `-+0 ` and width/precision.
 * Results match Go's output for the values templates see (numbers, strings, booleans).
 */

/** strconv.FormatFloat(v, 'g', prec, 64): prec -1 is the shortest representation. */
export function formatGoG(v: number, prec = -1): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const shortest = prec < 0;
  const p = prec === 0 ? 1 : prec;
  const [mant, expText] = (shortest ? v.toExponential() : v.toExponential(p - 1)).split('e') as [string, string];
  const exp = Number(expText);
  const digits = mant.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  // %e is used when the exponent is < -4 or >= the precision (6 for the shortest form).
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (shortest) eprec = 6;
  const sign = v < 0 ? '-' : '';
  if (exp < -4 || exp >= eprec) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** strconv.FormatFloat(v, 'e', prec, 64). */
function formatGoE(v: number, prec: number): string {
  if (!Number.isFinite(v)) return formatGoG(v);
  const [m, e] = v.toExponential(prec).split('e') as [string, string];
  const exp = Number(e);
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** How Go prints a value with %v (and templates print values). */
export function goValueString(v: unknown): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'number') return formatGoG(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValueString).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${goValueString(x)}`).join(' ')}]`;
  }
  return String(v);
}

const VERB = /%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])/g;

/** fmt.Sprintf for the verbs above; a mismatch prints Go's %!verb(type=value) marker. */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  const out = format.replace(VERB, (whole, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[next++];
    const prec = precision === undefined ? (whole.includes('.') ? 0 : -1) : Number(precision);
    const body = formatOne(verb, arg, prec, flags);
    return pad(body, width === undefined ? 0 : Number(width), flags, verb);
  });
  return next < args.length ? `${out}%!(EXTRA ${args.slice(next).map(goValueString).join(', ')})` : out;
}

function formatOne(verb: string, arg: unknown, prec: number, flags: string): string {
  const plus = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const signed = (s: string, n: number): string => (n >= 0 && !s.startsWith('+') && Number.isFinite(n) ? plus + s : s);
  switch (verb) {
    case 'v':
      return typeof arg === 'number' ? signed(formatGoG(arg), arg) : goValueString(arg);
    case 's':
      return typeof arg === 'string' ? (prec >= 0 ? arg.slice(0, prec) : arg) : typeof arg === 'number' ? `%!s(float64=${formatGoG(arg)})` : goValueString(arg);
    case 'q':
      return JSON.stringify(typeof arg === 'string' ? arg : goValueString(arg));
    case 't':
      return typeof arg === 'boolean' ? String(arg) : `%!t(${typeName(arg)}=${goValueString(arg)})`;
    case 'd':
      if (typeof arg === 'number' && Number.isInteger(arg)) return signed(String(arg), arg);
      return `%!d(${typeName(arg)}=${goValueString(arg)})`;
    case 'x':
    case 'X': {
      const s = typeof arg === 'number' && Number.isInteger(arg) ? arg.toString(16) : typeof arg === 'string' ? Buffer.from(arg).toString('hex') : goValueString(arg);
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'g': {
      if (typeof arg !== 'number') return `%!${verb}(${typeName(arg)}=${goValueString(arg)})`;
      if (!Number.isFinite(arg)) return signed(formatGoG(arg), arg);
      const text = verb === 'e' ? formatGoE(arg, prec < 0 ? 6 : prec) : verb === 'g' ? formatGoG(arg, prec) : arg.toFixed(prec < 0 ? 6 : prec);
      return signed(text, arg);
    }
    default:
      return `%!${verb}(${typeName(arg)}=${goValueString(arg)})`;
  }
}

function typeName(v: unknown): string {
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return v === undefined || v === null ? '<nil>' : 'object';
}

function pad(s: string, width: number, flags: string, verb: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && 'dfFeEgGxX'.includes(verb)) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}
