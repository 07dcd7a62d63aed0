// Placeholder: replaced by the page itself.
export function LocalPresencePage() {
  return <h1>LocalPresencePage</h1>;
}
