/** A value inside a template: label text, a number literal or arithmetic result, or a boolean. */
export type TemplateValue = string | number | boolean;

/** Go's fmt.Sprintf for the verbs templates use: %s %q %d %v %f %.Nf %x %%, with width and `-`. */
export function formatGo(format: string, args: readonly TemplateValue[]): string {
  let argIndex = 0;
  return format.replace(/%([-0+ ]*)(\d+)?(?:\.(\d+))?([svdfqxXgte%])/g, (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (argIndex >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[argIndex++] as TemplateValue;
    let s: string;
    switch (verb) {
      case 'd':
        s = typeof arg === 'number' ? String(Math.trunc(arg)) : `%!d(string=${String(arg)})`;
        break;
      case 'f':
      case 'e':
      case 'g': {
        const n = Number(arg);
        s = verb === 'f' ? n.toFixed(precision === undefined ? 6 : Number(precision)) : verb === 'e' ? n.toExponential(precision === undefined ? 6 : Number(precision)) : String(n);
        break;
      }
      case 'q':
        s = JSON.stringify(String(arg));
        break;
      case 'x':
      case 'X':
        s = typeof arg === 'number' ? Math.trunc(arg).toString(16) : Buffer.from(String(arg)).toString('hex');
        if (verb === 'X') s = s.toUpperCase();
        break;
      case 't':
        s = String(arg === true);
        break;
      default:
        s = String(arg);
        if (verb === 's' && precision !== undefined) s = s.slice(0, Number(precision));
    }
    const w = width === undefined ? 0 : Math.min(Number(width), 1024);
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return s;
  });
}
