/** A caller ID for originate: `"name" <number>`, with the quotes and backslashes a name may not carry dropped. */
export function callerIdHeader(name: string, number: string): string {
  return `"${name.replace(/["\\]/g, '')}" <${number}>`;
}
