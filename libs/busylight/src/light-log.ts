// The logging the light fleet and the presence lights need: pino's shape (object first, then the
// message), so the desk daemon passes its pino child and the dashboard its own small logger.
export interface LightLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
