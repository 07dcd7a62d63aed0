// Placeholder: replaced by the page itself.
export function CallActivityPage() {
  return <h1>CallActivityPage</h1>;
}
