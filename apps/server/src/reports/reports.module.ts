import { Module } from '@nestjs/common';
import { RealtimeModule } from '../realtime/realtime.module';
import { ReportDaysService } from './report-days.service';
import { ReportRepository } from './report.repository';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { WallboardController } from './wallboard.controller';
import { WallboardRepository } from './wallboard.repository';
import { WallboardService } from './wallboard.service';

@Module({
  imports: [RealtimeModule],
  controllers: [ReportsController, WallboardController],
  providers: [ReportRepository, ReportDaysService, ReportsService, WallboardRepository, WallboardService],
})
export class ReportsModule {}
