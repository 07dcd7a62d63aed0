// Which US states require every party's consent to record a telephone call ("two-party" or
// "all-party" consent). Everywhere else one party's consent is enough — the federal rule, 18 U.S.C.
// § 2511(2)(d) — and Leadline, a party to the call, gives it.
//
// Compiled 2026-12-03 from the statutes named on each row and checked against two practitioner
// compilations: Justia, "Recording Phone Calls and Conversations: 50-State Survey" (2024), and the
// Digital Media Law Project, "State Law: Recording" (Berkman Klein Center). Where a state's rule is
// contested or narrower than "every call", the row's decision is noted. Not legal advice:
// docs/compliance.md says what Leadline does with this table and how to get a row changed.

export interface RecordingConsentRow {
  /** The law that asks for every party's consent. */
  law: string;
  /** Why the row is here although the rule is narrower or contested. */
  note?: string;
}

export const RECORDING_CONSENT_COMPILED_ON = '2026-12-03';

/** The all-party-consent states, for telephone calls. A state not listed needs one party's consent. */
export const ALL_PARTY_CONSENT_STATES: Readonly<Record<string, RecordingConsentRow>> = {
  CA: { law: 'Cal. Penal Code §§ 632, 632.7' },
  CT: { law: 'Conn. Gen. Stat. § 52-570d', note: 'civil liability for recording a telephone call without every party’s consent (the criminal law, § 53a-189, is one-party): treated as all-party' },
  DE: { law: 'Del. Code tit. 11, § 1335(a)(4)', note: 'the privacy statute asks for all parties; the wiretap act (tit. 11, § 2402(c)(4)) is one-party: the stricter is kept' },
  FL: { law: 'Fla. Stat. § 934.03(2)(d)' },
  IL: { law: '720 ILCS 5/14-2(a)' },
  MD: { law: 'Md. Code, Cts. & Jud. Proc. § 10-402(c)(3)' },
  MA: { law: 'Mass. Gen. Laws ch. 272, § 99' },
  MI: { law: 'Mich. Comp. Laws § 750.539c', note: 'contested: Sullivan v. Gray (1982) lets a participant record, later courts disagree — treated as all-party, the safe reading' },
  MT: { law: 'Mont. Code § 45-8-213(1)(c)' },
  NV: { law: 'Nev. Rev. Stat. § 200.620', note: 'telephone calls (Lane v. Allstate, 1998); in-person conversations are one-party' },
  NH: { law: 'N.H. Rev. Stat. § 570-A:2' },
  PA: { law: '18 Pa. Cons. Stat. § 5704(4)' },
  WA: { law: 'Wash. Rev. Code § 9.73.030' },
};

/**
 * Oregon is listed by some compilations: its all-party rule (ORS 165.540(1)(c)) covers in-person
 * conversations only; telephone calls need one party (ORS 165.540(1)(a)). Leadline follows the
 * statute for calls: Oregon is a one-party state here.
 */
export const ONE_PARTY_NOTES: Readonly<Record<string, string>> = {
  OR: 'ORS 165.540: all-party for in-person conversations only; telephone calls are one-party',
};
