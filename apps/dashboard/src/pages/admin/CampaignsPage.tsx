// Placeholder: replaced by the page itself.
export function CampaignsPage() {
  return <h1>CampaignsPage</h1>;
}
