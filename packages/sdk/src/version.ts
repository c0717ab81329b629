/**
 * The plugin API version this SDK implements. A plugin declares the range it supports in its
 * package.json (`"plugboard": { "api": "^1.0.0" }`); the host refuses plugins whose range it does
 * not satisfy.
 */
export const PLUGIN_API_VERSION = '1.0.0'
