// Placeholder: replaced by the page itself.
export function AgentHome() {
  return <h1>AgentHome</h1>;
}
