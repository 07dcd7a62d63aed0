// USB presence lights, the part that runs anywhere (Node and the browser): pure per-family encoders
// (state → exact HID report bytes), the light fleet (hot-plug, keep-alive, timer blink) and the
// presence lights built on it, over the LightTransport interface. Node-only transports (node-hid,
// the recording file) are in '@leadline/busylight/node', so they never reach the dashboard's bundle.
export * from './light-state';
export * from './light-driver';
export * from './light-drivers';
export * from './light-log';
export * from './timers';
export * from './kuando/kuando.driver';
export * from './embrava/embrava.driver';
export * from './luxafor/luxafor.driver';
export * from './blink1/blink1.driver';
export * from './transport/light-transport';
export * from './light-fleet';
export * from './presence-light.util';
export * from './presence-lights';
