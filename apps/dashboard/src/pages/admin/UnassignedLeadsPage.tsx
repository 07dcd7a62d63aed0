// Placeholder: replaced by the page itself.
export function UnassignedLeadsPage() {
  return <h1>UnassignedLeadsPage</h1>;
}
