import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '@app/config';
import { NotificationsModule } from '@app/notifications';
import { loggerModule } from '@app/observability';
import { PersistenceModule } from '@app/persistence';
import { TemporalClientModule } from '@app/temporal';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { InputHygieneInterceptor } from './common/input-hygiene.interceptor';
import { ActorsModule } from './actors/actor-context.service';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { ScopeModule } from './common/scope.service';
import { ProcessesModule } from './processes/processes.module';
import { TasksModule } from './tasks/tasks.module';
import { QueueBoardController } from './admin/queue-board.controller';
import { QueueBoardService } from './admin/queue-board.service';
import { AttachmentsModule } from './attachments/attachments.module';
import { EmailActionsModule } from './email-actions/email-actions.module';
import { HealthController } from './health/health.controller';
import { ImportsModule } from './imports/imports.module';
import { PolicyModule } from './policy/policy.module';
import { RecordsModule } from './records/records.module';
import { ReportingModule } from './reporting/reporting.module';
import { FundsModule } from './funds/funds.module';
import { DispatchesModule } from './dispatches/dispatches.module';
import { InstitutionsController } from './registry/institutions.controller';
import { MembersController } from './registry/members.controller';
import { OrganizationsController } from './registry/organizations.controller';
import { OrganizationTermController } from './registry/organization-term.controller';
import { UsersController } from './users/users.controller';
import { ObservabilityModule } from './observability/observability.module';
import { RequestContextInterceptor } from './observability/request-context.interceptor';
import { apiHttpLogging } from './observability/request-logging';

@Module({
  imports: [
    AppConfigModule,
    loggerModule('api', apiHttpLogging),
    PersistenceModule,
    TemporalClientModule,
    NotificationsModule,
    JwtModule.registerAsync({
      global: true,
      inject: [APP_CONFIG],
      // The bearer key is derived for this purpose alone (HKDF of AUTH_SECRET); HS256 only, never "none".
      useFactory: (cfg: AppConfig) => ({
        secret: cfg.keys.bearer,
        signOptions: { algorithm: 'HS256', expiresIn: cfg.authTokenTtlSeconds },
        verifyOptions: { algorithms: ['HS256'], maxAge: cfg.authTokenTtlSeconds },
      }),
    }),
    PolicyModule,
    ImportsModule,
    AdminModule,
    EmailActionsModule,
    RecordsModule,
    ReportingModule,
    FundsModule,
    DispatchesModule,
    AttachmentsModule,
    AuthModule,
    ScopeModule,
    ActorsModule,
    ProcessesModule,
    TasksModule,
    ObservabilityModule,
  ],
  controllers: [UsersController, OrganizationsController, OrganizationTermController, InstitutionsController, MembersController, HealthController, QueueBoardController],
  providers: [
    QueueBoardService,
    JwtAuthGuard,
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
    { provide: APP_INTERCEPTOR, useClass: InputHygieneInterceptor },
  ],
})
export class AppModule {}
