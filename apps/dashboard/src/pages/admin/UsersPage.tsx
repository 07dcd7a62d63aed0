// Placeholder: replaced by the page itself.
export function UsersPage() {
  return <h1>UsersPage</h1>;
}
