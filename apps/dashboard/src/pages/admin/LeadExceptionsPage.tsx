// Placeholder: replaced by the page itself.
export function LeadExceptionsPage() {
  return <h1>LeadExceptionsPage</h1>;
}
