// Placeholder: replaced by the page itself.
export function MyCalls() {
  return <h1>MyCalls</h1>;
}
