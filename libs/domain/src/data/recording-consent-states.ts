// States whose wiretap laws require every party's consent to record a telephone call ("all-party"
// or "two-party" states); every other state (and DC) lets one party to the call consent for all.
// Compiled 2026-12-03 from the statutes named below; where a state's law is read both ways (its
// criminal and civil statutes differ, or courts split) it is listed, the safe reading. This is not
// legal advice: docs/compliance.md says how an org sets its own rule per state.
export const ALL_PARTY_CONSENT_STATES: Readonly<Record<string, string>> = {
  CA: 'Cal. Penal Code §§ 632, 632.7',
  CT: 'Conn. Gen. Stat. § 52-570d (civil: all parties to a telephone call)',
  DE: 'Del. Code tit. 11, § 1335(a)(4) (read with § 2402(c)(4), which allows one party: listed as all-party)',
  FL: 'Fla. Stat. § 934.03',
  IL: '720 ILCS 5/14-2',
  MD: 'Md. Code, Cts. & Jud. Proc. § 10-402',
  MA: 'Mass. Gen. Laws ch. 272, § 99',
  MI: 'Mich. Comp. Laws § 750.539c (courts allow a participant to record: listed as all-party)',
  MT: 'Mont. Code Ann. § 45-8-213',
  NV: 'Nev. Rev. Stat. § 200.620 (telephone calls; Lane v. Allstate, 1998)',
  NH: 'N.H. Rev. Stat. § 570-A:2',
  OR: 'Or. Rev. Stat. § 165.540 (one party suffices for telephone calls, all for in-person: listed as all-party)',
  PA: '18 Pa. Cons. Stat. § 5704',
  WA: 'Wash. Rev. Code § 9.73.030',
};

export const RECORDING_CONSENT_COMPILED_ON = '2026-12-03';
