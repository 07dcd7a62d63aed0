// Placeholder: replaced by the page itself.
export function OrgPage() {
  return <h1>OrgPage</h1>;
}
