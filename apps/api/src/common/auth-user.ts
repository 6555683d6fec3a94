import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@app/domain';
import type { UserEntity } from '@app/persistence';

/** The signed-in user as guards and services see it (fresh from the database on every request). */
export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  email: string;
  roles: Role[];
  organizationIds: string[];
  institutionIds: string[];
  /** The party member this account belongs to (a secretary's account inherits tasks through it). */
  memberId: string | null;
}

export const IS_PUBLIC = 'isPublic';
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
export const ROLES_KEY = 'roles';
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});

export const isAdmin = (u: AuthUser): boolean => u.roles.includes('ADMIN');

/** The signed-in user as the author of a change (the audit triggers record it). */
export const actorOf = (u: AuthUser): { id: string; name: string } => ({ id: u.id, name: u.username });

/** The request's view of a user row. */
export function authUserOf(u: UserEntity): AuthUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    email: u.email,
    roles: u.roles,
    organizationIds: u.organizationIds,
    institutionIds: u.institutionIds,
    memberId: u.memberId,
  };
}
