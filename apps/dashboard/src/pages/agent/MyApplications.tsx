// Placeholder: replaced by the page itself.
export function MyApplications() {
  return <h1>MyApplications</h1>;
}
