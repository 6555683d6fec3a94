import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottleService } from './login-throttle.service';

/** Sign-in, sign-out and the login throttle (shared with the email page's password check). */
@Module({
  controllers: [AuthController],
  providers: [AuthService, LoginThrottleService],
  exports: [AuthService, LoginThrottleService],
})
export class AuthModule {}
