// The supported light families and their USB IDs.
import { blink1Driver } from './blink1/blink1.driver';
import { embravaDriver } from './embrava/embrava.driver';
import { kuandoDriver } from './kuando/kuando.driver';
import type { LightDriver, LightFamily, UsbModel } from './light-driver';
import { luxaforDriver } from './luxafor/luxafor.driver';

export const LIGHT_DRIVERS: readonly LightDriver[] = [kuandoDriver, embravaDriver, luxaforDriver, blink1Driver];

export function driverFor(family: LightFamily): LightDriver {
  const driver = LIGHT_DRIVERS.find((d) => d.family === family);
  if (!driver) throw new Error(`no driver for ${family}`);
  return driver;
}

/** The driver and model for a USB vendor/product ID pair, if it is a light we support. */
export function matchLight(vendorId: number, productId: number, drivers: readonly LightDriver[] = LIGHT_DRIVERS): { driver: LightDriver; model: UsbModel } | undefined {
  for (const driver of drivers) {
    const model = driver.models.find((m) => m.vendorId === vendorId && m.productId === productId);
    if (model) return { driver, model };
  }
  return undefined;
}

/** `27bb:3bcd` */
export const vidPid = (vendorId: number, productId: number): string =>
  `${vendorId.toString(16).padStart(4, '0')}:${productId.toString(16).padStart(4, '0')}`;

/** `0010…` — lower-case hex, no separators; how reports are logged and recorded. */
export const toHex = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
