/**
 * The UTC calendar fields Go's time package gives for `time.Unix(int64(v), 0).UTC()`, which is
 * how Prometheus 2.42's date functions read a value as a time. Two Go behaviours matter beyond
 * the ordinary calendar: the float→int64 conversion truncates towards zero and turns NaN, ±Inf
 * and anything out of range into the smallest int64 (amd64), and Go's date arithmetic wraps
 * around for such extreme seconds. Both are reproduced so that even year(vector(NaN)) agrees.
 */
export interface CivilTime {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
  /** 1–366 */
  readonly dayOfYear: number;
  /** 0 = Sunday */
  readonly dayOfWeek: number;
  readonly hour: number;
  readonly minute: number;
}

const INT64_MIN = -(2n ** 63n);
/** Seconds from Go's absolute zero time (year -292277022399) to the Unix epoch; Go adds it in uint64 arithmetic. */
const UNIX_TO_ABSOLUTE = 9223372028715321600n;
/** Within this many seconds of the epoch, neither int64 conversion nor wrapping can occur and plain arithmetic is exact. */
const SAFE_SECONDS = 8.64e12;

/** Go's int64(v) for a float, as it behaves on amd64. */
export function goFloatToInt64(v: number): bigint {
  if (!Number.isFinite(v) || v >= 2 ** 63 || v < -(2 ** 63)) return INT64_MIN;
  return BigInt(Math.trunc(v));
}

/** The UTC fields of the time `v` seconds after the epoch, as Go computes them. */
export function civilTimeOfValue(v: number): CivilTime {
  if (Math.abs(v) < SAFE_SECONDS) return civilTime(Math.trunc(v));
  // Go computes the date from the seconds since its absolute zero as a uint64: wrap like it does.
  const wrapped = BigInt.asUintN(64, goFloatToInt64(v) + UNIX_TO_ABSOLUTE) - UNIX_TO_ABSOLUTE;
  const days = floorDiv(wrapped, 86400n);
  return civilTimeOfDays(Number(days), Number(wrapped - days * 86400n));
}

/** The UTC fields of an integral number of seconds since the epoch (safe range). */
export function civilTime(seconds: number): CivilTime {
  const days = Math.floor(seconds / 86400);
  return civilTimeOfDays(days, seconds - days * 86400);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** Days since the epoch to the proleptic Gregorian calendar (Howard Hinnant's civil_from_days), exact for any |days| < 2^53 / 146097. */
function civilTimeOfDays(days: number, secondOfDay: number): CivilTime {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfMarchYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfMarchYear + 2) / 153);
  const day = dayOfMarchYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const dayOfYear = cumulativeDays(year, month) + day;
  return {
    year,
    month,
    day,
    dayOfYear,
    dayOfWeek: mod(days + 4, 7), // 1970-01-01 was a Thursday
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
  };
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function cumulativeDays(year: number, month: number): number {
  return (DAYS_BEFORE_MONTH[month - 1] as number) + (month > 2 && isLeap(year) ? 1 : 0);
}

export function isLeap(year: number): boolean {
  return mod(year, 4) === 0 && (mod(year, 100) !== 0 || mod(year, 400) === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
