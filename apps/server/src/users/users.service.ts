import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { checkWorkPhone, isValidExtension, nextExtension, normalizePhone } from '@leadline/domain';
import { AppConfig } from '../config/app-config';
import { LeadEvents } from '../events/lead-events';
import { PasswordHasher } from '../auth/password-hasher';
import { DomainError, ErrorCode, notFound, validationFailed } from '../common/domain-error';
import { User } from '../database/entities';
import { DeskPhone, DeskPhoneProvisioner, newSipCredentials, newSipUsername, SipCredentials } from '../telephony/desk-phone.provisioner';
import { CreateUserDto, MeTogglesDto, UpdateUserDto } from './user.dto';
import { Page, UserRepository } from './user.repository';
import { SipPasswordCipher } from './sip-password.cipher';
import { toUserView, UserView } from './user.view';

/** What a desk phone's configuration file needs of its user. */
export interface PhoneAccountOf {
  username: string;
  password: string;
  displayName: string;
  extension: string;
}

const hasEndpoint = (u: Pick<User, 'workPhoneType'>) => u.workPhoneType === 'sip_desk' || u.workPhoneType === 'static_ip';

/** How often a new user whose automatic extension was just taken tries the next free one. */
const MAX_EXTENSION_TRIES = 200;

@Injectable()
export class UsersService implements OnModuleInit {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly provisioner: DeskPhoneProvisioner,
    private readonly config: AppConfig,
    private readonly events: LeadEvents,
    private readonly cipher: SipPasswordCipher,
  ) {}

  onModuleInit(): void {
    this.provisioner.useSource(async () => (await this.users.withDeskPhones()).map(deskPhoneOf));
  }

  async list(orgId: string, page: number, pageSize: number): Promise<Page<UserView>> {
    const result = await this.users.list(orgId, page, pageSize);
    return { ...result, items: result.items.map(toUserView) };
  }

  async get(orgId: string, id: string): Promise<UserView> {
    return toUserView(await this.require(orgId, id));
  }

  async create(orgId: string, dto: CreateUserDto): Promise<UserView> {
    const email = dto.email.toLowerCase();
    if (await this.users.emailTaken(email)) throw new DomainError(ErrorCode.EmailTaken, `A user with email ${email} already exists`);
    const user = new User();
    user.org = this.users.orgRef(orgId);
    user.name = dto.name;
    user.email = email;
    user.role = dto.role;
    user.passwordHash = await this.hasher.hash(dto.password);
    this.applyProfile(user, dto);
    user.extension = dto.extension !== undefined ? await this.checkExtension(orgId, dto.extension) : nextExtension(await this.users.extensions(orgId));
    const credentials = await this.assignEndpoint(user);
    await this.insert(orgId, user, dto.extension === undefined);
    this.logger.log(`user ${user.id} (${user.role}) created`);
    return this.withPhone(user, credentials);
  }

  async update(orgId: string, id: string, dto: UpdateUserDto): Promise<UserView> {
    const user = await this.require(orgId, id);
    const previousEndpoint = user.sipUsername ?? null;
    if (dto.email !== undefined) {
      const email = dto.email.toLowerCase();
      if (await this.users.emailTaken(email, id)) throw new DomainError(ErrorCode.EmailTaken, `A user with email ${email} already exists`);
      user.email = email;
    }
    if (dto.name !== undefined) user.name = dto.name;
    const roleChanged = dto.role !== undefined && dto.role !== user.role;
    if (dto.role !== undefined) user.role = dto.role;
    if (dto.extension !== undefined) user.extension = await this.checkExtension(orgId, dto.extension, id);
    if (dto.password !== undefined) user.passwordHash = await this.hasher.hash(dto.password);
    const phoneChanged = (dto.workPhoneType !== undefined && dto.workPhoneType !== user.workPhoneType) || (dto.workPhone !== undefined && dto.workPhone !== user.workPhone);
    this.applyProfile(user, { ...dto, workPhoneType: dto.workPhoneType === undefined ? user.workPhoneType : dto.workPhoneType, workPhone: dto.workPhone === undefined ? user.workPhone : dto.workPhone });
    let credentials: SipCredentials | undefined;
    if (phoneChanged) {
      if (!hasEndpoint(user)) {
        user.sipUsername = null;
        user.sipMd5Cred = null;
        user.sipPasswordEnc = null;
      } else credentials = await this.assignEndpoint(user);
    }
    await this.users.save(user);
    // Open sockets were authorised for the old role: cut them; they may reconnect with the new one.
    if (roleChanged) this.events.emit('access.revoked', { userId: id, reason: 'rights_changed' });
    if (previousEndpoint && previousEndpoint !== user.sipUsername) await this.tryRemove(previousEndpoint);
    return phoneChanged ? this.withPhone(user, credentials) : toUserView(user);
  }

  async rotateSipPassword(orgId: string, id: string): Promise<UserView> {
    const user = await this.require(orgId, id);
    if (user.workPhoneType !== 'sip_desk' || !user.sipUsername) {
      throw new DomainError(ErrorCode.Conflict, 'Only a sip_desk work phone has a SIP password to rotate');
    }
    const credentials = this.newCredentials(user);
    await this.users.save(user);
    const view = await this.withPhone(user, credentials);
    this.events.emit('sip.credentials-changed', { userId: user.id });
    return view;
  }

  /**
   * The SIP account a provisioned desk phone of this user must carry (null: the user has no
   * sip_desk phone). A password the server cannot read (set before provisioning existed, or sealed
   * with another JWT_SECRET) is replaced by a fresh one, pushed to Asterisk before it is handed out.
   */
  async phoneAccount(orgId: string, id: string): Promise<PhoneAccountOf | null> {
    const user = await this.users.withSipPassword(orgId, id);
    if (!user || user.workPhoneType !== 'sip_desk' || !user.sipUsername) return null;
    let password = user.sipPasswordEnc ? this.cipher.decrypt(user.sipPasswordEnc) : null;
    if (password === null) {
      const credentials = this.newCredentials(user);
      await this.users.save(user);
      const view = await this.withPhone(user, credentials);
      if (view.provisioning === 'pending') throw new DomainError(ErrorCode.TelephonyUnavailable, 'The phone account could not be set up in Asterisk yet; try again');
      this.logger.log(`user ${user.id}: new SIP password for the desk phone's configuration (none readable was kept)`);
      password = credentials.password;
    }
    return { username: user.sipUsername, password, displayName: user.name, extension: user.extension ?? '' };
  }

  /** Fresh credentials for a sip_desk user, kept as the digest Asterisk checks and sealed for provisioning. */
  private newCredentials(user: User): SipCredentials {
    const credentials = newSipCredentials(user.sipUsername!);
    user.sipMd5Cred = credentials.md5Cred;
    user.sipPasswordEnc = this.cipher.encrypt(credentials.password);
    return credentials;
  }

  async remove(orgId: string, id: string, actingUserId: string): Promise<void> {
    if (id === actingUserId) throw new DomainError(ErrorCode.Conflict, 'You cannot delete your own user');
    const user = await this.require(orgId, id);
    const endpoint = user.sipUsername;
    try {
      await this.users.remove(user);
    } catch (err) {
      throw new DomainError(ErrorCode.Conflict, `User ${id} still owns leads or call history; reassign them first (${err instanceof Error ? err.message.split('\n')[0] : ''})`);
    }
    this.events.emit('access.revoked', { userId: id, reason: 'user_deleted' });
    if (endpoint) await this.tryRemove(endpoint);
  }

  async setToggles(orgId: string, id: string, dto: MeTogglesDto): Promise<UserView> {
    const user = await this.require(orgId, id);
    if (dto.loggedIn !== undefined) user.loggedIn = dto.loggedIn;
    if (dto.callsOn !== undefined) user.callsOn = dto.callsOn;
    if (dto.showIncomingCallDetails !== undefined) user.showIncomingCallDetails = dto.showIncomingCallDetails;
    await this.users.save(user);
    this.events.emit('agent.changed', { userId: id });
    return toUserView(user);
  }

  /**
   * Saves a new user. Users created at the same instant (PostgreSQL runs them side by side) may all
   * have been given the next free extension: the database's unique index lets one through, and each
   * other takes the next free one and tries again — one of them wins every round, so as many tries
   * as users created at once (50 at once took up to 50; the cap is a guard). A chosen extension or
   * email taken meanwhile is the same 409 the checks before would have given.
   */
  private async insert(orgId: string, user: User, autoExtension: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const taken = await this.users.insertNew(user);
      if (taken === null) return;
      if (taken === 'extension' && autoExtension && attempt < MAX_EXTENSION_TRIES) {
        user.extension = nextExtension(await this.users.extensions(orgId));
        continue;
      }
      if (taken === 'extension') throw new DomainError(ErrorCode.ExtensionTaken, `Extension ${user.extension} was just given to another user`);
      throw new DomainError(ErrorCode.EmailTaken, `A user with email ${user.email} already exists`);
    }
  }

  /** A valid extension no other user of the org has. */
  private async checkExtension(orgId: string, extension: string, exceptId?: string): Promise<string> {
    if (!isValidExtension(extension)) throw validationFailed([{ field: 'extension', message: 'must be 3 to 6 digits, not starting with 0, and not an N11 code such as 411 or 911' }]);
    const holder = await this.users.extensionTaken(orgId, extension, exceptId);
    if (holder) throw new DomainError(ErrorCode.ExtensionTaken, `Extension ${extension} belongs to ${holder.name}`);
    return extension;
  }

  private async require(orgId: string, id: string): Promise<User> {
    const user = await this.users.get(orgId, id);
    if (!user) throw notFound(ErrorCode.UserNotFound, 'User', id);
    return user;
  }

  private applyProfile(user: User, dto: UpdateUserDto): void {
    const fields = [];
    const phone = checkWorkPhone(dto.workPhoneType, dto.workPhone);
    if (!phone.ok) fields.push({ field: 'workPhone', message: phone.message });
    if (dto.filterLoanAmountMin != null && dto.filterLoanAmountMax != null && dto.filterLoanAmountMin > dto.filterLoanAmountMax) {
      fields.push({ field: 'filterLoanAmountMax', message: 'must not be below filterLoanAmountMin' });
    }
    if (fields.length) throw validationFailed(fields);
    if (phone.ok) {
      user.workPhoneType = dto.workPhoneType ?? null;
      user.workPhone = phone.workPhone;
    }
    if (dto.callerId !== undefined) user.callerId = dto.callerId ? (normalizePhone(dto.callerId) ?? null) : null;
    if (dto.stateLicences !== undefined) user.stateLicences = [...new Set(dto.stateLicences)];
    if (dto.filterLoanPurposes !== undefined) user.filterLoanPurposes = [...new Set(dto.filterLoanPurposes)];
    if (dto.filterLoanAmountMin !== undefined) user.filterLoanAmountMin = dto.filterLoanAmountMin;
    if (dto.filterLoanAmountMax !== undefined) user.filterLoanAmountMax = dto.filterLoanAmountMax;
    if (dto.filterLeadProviders !== undefined) user.filterLeadProviders = [...new Set(dto.filterLeadProviders)];
    if (dto.showIncomingCallDetails !== undefined) user.showIncomingCallDetails = dto.showIncomingCallDetails;
  }

  /** Gives a desk or static-IP phone its endpoint id (and, for a desk phone, fresh credentials). */
  private async assignEndpoint(user: User): Promise<SipCredentials | undefined> {
    if (!hasEndpoint(user)) return undefined;
    if (!user.sipUsername) {
      let candidate = newSipUsername();
      while (await this.users.sipUsernameTaken(candidate)) candidate = newSipUsername();
      user.sipUsername = candidate;
    }
    if (user.workPhoneType === 'static_ip') {
      user.sipMd5Cred = null;
      user.sipPasswordEnc = null;
      return undefined;
    }
    return this.newCredentials(user);
  }

  /** Pushes the phone to Asterisk after the commit; a failure leaves it for the next re-sync. */
  private async withPhone(user: User, credentials?: SipCredentials): Promise<UserView> {
    const view = toUserView(user);
    if (!hasEndpoint(user) || !user.sipUsername) return view;
    view.sipAccount = { server: this.config.sip.publicHost, port: this.config.sip.port, transport: 'udp', username: user.sipUsername, ...(credentials ? { password: credentials.password } : {}) };
    try {
      await this.provisioner.provision(deskPhoneOf(user));
    } catch (err) {
      this.logger.warn(`desk phone ${user.sipUsername} saved but not yet in Asterisk: ${err instanceof Error ? err.message : String(err)}`);
      view.provisioning = 'pending';
    }
    return view;
  }

  private async tryRemove(endpoint: string): Promise<void> {
    try {
      await this.provisioner.remove(endpoint);
    } catch (err) {
      this.logger.warn(`could not remove endpoint ${endpoint} from Asterisk yet: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function deskPhoneOf(u: User): DeskPhone {
  return { sipUsername: u.sipUsername!, md5Cred: u.sipMd5Cred ?? null, staticContact: u.workPhoneType === 'static_ip' ? (u.workPhone ?? null) : null, displayName: u.name };
}
