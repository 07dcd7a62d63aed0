import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'leadline:public';

/** Marks a route that needs no user token (health, login, Action Post which checks its own key). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
