import { Module } from '@nestjs/common';
import { ReportDaysService } from './report-days.service';
import { ReportRepository } from './report.repository';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({ controllers: [ReportsController], providers: [ReportRepository, ReportDaysService, ReportsService], exports: [ReportDaysService, ReportRepository, ReportsService] })
export class ReportsModule {}
