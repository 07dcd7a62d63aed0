import { SetMetadata } from '@nestjs/common';
import type { Role } from '@leadline/domain';

export const ROLES_KEY = 'leadline:roles';

/** Who may call a route. A route with neither @Roles nor @Public is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
