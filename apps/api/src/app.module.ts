import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '@app/config';
import { NotificationsModule } from '@app/notifications';
import { PersistenceModule } from '@app/persistence';
import { TemporalClientModule } from '@app/temporal';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { ScopeService } from './common/scope.service';
import { AdminModule } from './admin/admin.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { EmailActionsModule } from './email-actions/email-actions.module';
import { HealthController } from './health/health.controller';
import { ImportsModule } from './imports/imports.module';
import { PolicyModule } from './policy/policy.module';
import { RecordsModule } from './records/records.module';
import { InstitutionsController } from './registry/institutions.controller';
import { MembersController } from './registry/members.controller';
import { OrganizationsController } from './registry/organizations.controller';
import { ProcessesController } from './processes/processes.controller';
import { ProcessesService } from './processes/processes.service';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import { ActorContextService } from './tasks/actor-context.service';
import { TaskActionsService } from './tasks/task-actions.service';
import { DelegationsController } from './delegations/delegations.controller';
import { UsersController } from './users/users.controller';

@Module({
  imports: [
    AppConfigModule,
    PersistenceModule,
    TemporalClientModule,
    NotificationsModule,
    JwtModule.registerAsync({
      global: true,
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => ({ secret: cfg.authSecret, signOptions: { expiresIn: cfg.authTokenTtlSeconds } }),
    }),
    ThrottlerModule.forRoot([{ name: 'login', ttl: 60_000, limit: 10 }]),
    PolicyModule,
    ImportsModule,
    AdminModule,
    EmailActionsModule,
    RecordsModule,
    AttachmentsModule,
  ],
  controllers: [
    AuthController,
    UsersController,
    OrganizationsController,
    InstitutionsController,
    MembersController,
    ProcessesController,
    TasksController,
    DelegationsController,
    HealthController,
  ],
  providers: [
    AuthService,
    ScopeService,
    ProcessesService,
    TasksService,
    ActorContextService,
    TaskActionsService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class AppModule {}
