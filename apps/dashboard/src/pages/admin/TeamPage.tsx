// Placeholder: replaced by the page itself.
export function TeamPage() {
  return <h1>TeamPage</h1>;
}
