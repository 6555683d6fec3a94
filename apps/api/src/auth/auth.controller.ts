import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiProperty, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { Request, Response } from 'express';
import { CurrentUser, Public, type AuthUser } from '../common/auth-user';
import { AuthService, type TokenClaims } from './auth.service';
import { ThrottledError } from './login-throttle.service';

class LoginDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) username!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) password!: string;
}

/** A refused attempt tells the client when to come back. */
export async function withRetryAfter<T>(res: Response, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ThrottledError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    throw err;
  }
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiTooManyRequestsResponse({ description: '尝试过于频繁（按账号、按来源地址限制，多个 API 实例共享计数）；响应头 Retry-After 给出等待秒数' })
  login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): ReturnType<AuthService['login']> {
    return withRetryAfter(res, () => this.auth.login(dto.username, dto.password, clientAddress(req)));
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: '当前令牌立即失效' })
  async logout(@Req() req: Request & { tokenClaims?: TokenClaims }): Promise<void> {
    await this.auth.logout(req.tokenClaims!, clientAddress(req));
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }
}

/** The client's address as Express resolved it under TRUST_PROXY (the socket address when no proxy is trusted). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
