// Placeholder: replaced by the page itself.
export function GroupsPage() {
  return <h1>GroupsPage</h1>;
}
