import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Org } from './org.entity';

/** One day of an org summed for the reports (ReportDayDoc as JSON), rebuilt when its rows change (docs/reports.md). */
@Entity({ tableName: 'report_day' })
export class ReportDay {
  @ManyToOne(() => Org, { primary: true })
  org!: Org;

  /** The calendar day in the org's time zone, YYYY-MM-DD. */
  @PrimaryKey({ type: 'string' })
  day!: string;

  @Property({ type: 'text' })
  doc!: string;

  @Property({ type: 'datetime' })
  builtAt: Date = new Date();
}

/** What an org's stored days were built with (zone, format) and up to when changes were read. */
@Entity({ tableName: 'report_state' })
export class ReportState {
  @ManyToOne(() => Org, { primary: true })
  org!: Org;

  @Property({ type: 'string' })
  timeZone!: string;

  @Property({ type: 'integer' })
  format!: number;

  @Property({ type: 'datetime' })
  changesUntil!: Date;

  @Property({ type: 'datetime' })
  builtAt: Date = new Date();
}
