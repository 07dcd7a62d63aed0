// USB presence lights: pure per-family encoders (state → HID report bytes) and the transports
// that carry those reports to a device (node-hid) or to a recording file.
export * from './light-state';
export * from './light-driver';
export * from './light-drivers';
export * from './kuando/kuando.driver';
export * from './embrava/embrava.driver';
export * from './luxafor/luxafor.driver';
export * from './blink1/blink1.driver';
export * from './transport/light-transport';
export * from './transport/node-hid.transport';
export * from './transport/recording.transport';
