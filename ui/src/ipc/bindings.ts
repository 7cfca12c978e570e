// Generated from src-tauri/dto.rs by ts-rs. Do not edit: run
// `UPDATE_BINDINGS=1 cargo test -p stand-in bindings` after changing a DTO.

export type ErrorDto = { code: string, message: string, requestId: string | null, 
/**
 * For refusals: the rule that refused (`target_is_admin`, `read_only`, …).
 */
rule: string | null, };

export type ConnectionKind = "sandbox" | "org";

export type ConnectionDto = { name: string, kind: ConnectionKind, baseUrl: string, 
/**
 * A Sigma region's name, or "Custom".
 */
region: string, clientId: string, tenant: string | null, 
/**
 * Whether the keyring holds a secret for it (the secret itself never leaves Rust); `false` both when
 * it is missing and when the keyring could not be asked — `secret_status` tells them apart.
 */
hasSecret: boolean, secretStatus: SecretStatus, 
/**
 * A PEM file of CA certificates trusted for this connection besides the system's (a private CA).
 */
caFile: string | null, };

export type SecretStatus = "stored" | "missing" | "keyringUnavailable";

export type ConnectionInput = { name: string, baseUrl: string, clientId: string, tenant: string | null, secret: string, 
/**
 * A PEM file of CA certificates to trust for this connection, or `null`.
 */
caFile: string | null, };

export type ConnectionUpdate = { name: string | null, baseUrl: string | null, clientId: string | null, tenant: string | null, clearTenant: boolean, 
/**
 * A new CA certificate file (PEM); `clear_ca_file` removes it.
 */
caFile: string | null, clearCaFile: boolean, };

export type RegionDto = { name: string, baseUrl: string, };

export type ActorDto = { userId: string, organizationId: string, email: string | null, name: string | null, accountType: string, canImpersonate: boolean, };

export type ConnectionState = { connection: ConnectionDto, actor: ActorDto | null, actorError: ErrorDto | null, };

export type Eligibility = { allowed: boolean, reason: string | null, };

export type MemberDto = { memberId: string, email: string, firstName: string, lastName: string, 
/**
 * First and last name, or the email when both are empty.
 */
name: string, 
/**
 * The account type as Sigma names it (`admin`, `creator`, a custom type …).
 */
memberType: string, userKind: string | null, isArchived: boolean, isInactive: boolean, homeFolderId: string | null, createdAt: string | null, updatedAt: string | null, impersonation: Eligibility, 
/**
 * Fields Sigma sent that Stand-in does not know yet, shown as they are.
 */
extra: Record<string, unknown>, };

export type UserQuery = { search: string | null, includeArchived: boolean, };

export type TeamDto = { teamId: string, name: string, description: string | null, visibility: string | null, isArchived: boolean, };

export type TeamMemberDto = { userId: string, isTeamAdmin: boolean, 
/**
 * The member's record, when it could be found.
 */
member: MemberDto | null, impersonation: Eligibility, };

export type MemberAttributeDto = { userAttributeId: string, name: string, value: string, 
/**
 * "user", "team:<name>" or "default".
 */
source: string, };

export type SectionDto<T> = { value: T | null, error: ErrorDto | null, };

export type UserProfileDto = { member: MemberDto, teams: SectionDto<Array<TeamDto>>, attributes: SectionDto<Array<MemberAttributeDto>>, };

export type StartRequest = { email: string, tenant: string | null, 
/**
 * A reason or ticket; required (a blank one is refused with rule `reason_required`).
 */
reason: string, readOnly: boolean, 
/**
 * Capped at 60.
 */
durationMinutes: number, 
/**
 * End an active session first (the UI asks before setting this).
 */
replaceActive: boolean, };

export type SessionDto = { id: string, connection: string, actorEmail: string, subjectEmail: string, subjectName: string | null, subjectId: string | null, subjectAccountType: string | null, tenant: string | null, reason: string | null, readOnly: boolean, startedAt: string, expiresAt: string, secondsLeft: number, };

export type StopReason = "stopped" | "expired" | "endedByServer" | "switched" | "replaced";

export type StopResult = { 
/**
 * The session that ended (a late event about an older session can be told apart).
 */
sessionId: string, subjectEmail: string, subjectId: string | null, reason: StopReason, };

export type ExpiringEvent = { sessionId: string, secondsLeft: number, };

export type RetryEvent = { 
/**
 * "Sigma is throttling: retrying in 3 s (try 2 of 5)".
 */
message: string, 
/**
 * The API path retried, without its query.
 */
path: string, 
/**
 * `throttled`, `server_error` or `connection`.
 */
reason: string, delaySeconds: number, nextTry: number, maxTries: number, };

export type WhoAmIDto = { userId: string, organizationId: string, accountType: string | null, extra: Record<string, unknown>, };

export type FileDto = { id: string, name: string, 
/**
 * workbook, dataset, data-model, folder, report, … (new types are shown as they come).
 */
fileType: string, 
/**
 * create, annotate, organize, explore, view, edit, apply (or a new value).
 */
permission: string, path: string, parentId: string | null, ownerId: string | null, badge: string | null, description: string | null, isArchived: boolean, updatedAt: string | null, };

export type PermissionDifferenceDto = { file: FileDto, adminPermission: string, userPermission: string, };

export type ComparisonDto = { onlyAdmin: Array<FileDto>, onlyUser: Array<FileDto>, different: Array<PermissionDifferenceDto>, same: number, };

export type ConsoleRequest = { 
/**
 * GET, POST, PUT, PATCH or DELETE.
 */
method: string, 
/**
 * A path under the base URL, e.g. `/v2/files?typeFilters=dataset`.
 */
path: string, 
/**
 * A JSON body for writes (read-write sessions only); `null` for none.
 */
body: unknown, };

export type ConsoleCheck = { allowed: boolean, reason: string | null, };

export type ConsoleResponse = { status: number, body: unknown, requestId: string | null, elapsedMs: number, };

export type TokenKind = "actor" | "subject" | "impersonation";

export type TokenInfoDto = { kind: TokenKind, header: Record<string, unknown> | null, claims: Record<string, unknown> | null, expiresAt: string | null, 
/**
 * Why claims are missing (opaque token), or what the token is for.
 */
note: string, };

export type AuditEntryDto = { time: string, event: string, profile: string, actor: string, subject: string, tenant: string | null, reason: string | null, sessionId: string | null, readOnly: boolean | null, method: string | null, path: string | null, status: number | null, detail: string | null, requestId: string | null, 
/**
 * For requests: "sent" (recorded before it went out) or "outcome" (after); null in older logs.
 */
phase: string | null, 
/**
 * The access review this record belongs to; null outside reviews and in older logs.
 */
reviewId: string | null, };

export type AuditVerificationDto = { 
/**
 * "intact", "legacy" (only records from before signing: nothing to check) or "broken".
 */
status: string, intact: boolean, 
/**
 * Records whose MAC and chain link checked (before the problem, if any).
 */
records: number, legacyRecords: number, 
/**
 * 1-based line of the first problem.
 */
problemLine: number | null, 
/**
 * "edited", "deleted", "reordered", "truncated", "chainBroken", "unsigned", "wrongKey" or "keyMissing".
 */
problemKind: string | null, 
/**
 * One sentence for people: "intact, 12 records", or the line and what is wrong with it.
 */
summary: string, 
/**
 * Lines holding an interrupted write (never acknowledged) sealed by the next record.
 */
interruptedLines: Array<number>, };

export type ExportFormat = "csv" | "json";

export type AuditFilter = { text: string, event: string | null, };

export type AuditExport = { 
/**
 * Where the file was written.
 */
path: string, count: number, };

export type ReviewScopeKind = "team" | "emails" | "all";

export type ReviewScopeDto = { kind: ReviewScopeKind, teamId: string | null, emails: Array<string> | null, };

export type ReviewRequestDto = { scope: ReviewScopeDto, 
/**
 * One document type (`workbook`, `dataset`, …) or null for every type.
 */
fileType: string | null, 
/**
 * Users impersonated at once; null for the default (8).
 */
concurrency: number | null, 
/**
 * Recorded with every impersonation of the review.
 */
reason: string | null, };

export type ReviewStartedDto = { reviewId: string, };

export type ReviewProgressDto = { reviewId: string, 
/**
 * Users whose documents were listed.
 */
done: number, 
/**
 * Users that failed (refused, or an error as them); `done + failed` of `total` have ended.
 */
failed: number, total: number, elapsedMs: number, 
/**
 * Users per second so far.
 */
ratePerSec: number, 
/**
 * Time left at the current rate; null until the rate is known.
 */
etaMs: number | null, 
/**
 * Sigma is answering 429 and the review has slowed down.
 */
throttled: boolean, };

export type ReviewFinishedDto = { reviewId: string, cancelled: boolean, done: number, failed: number, notRun: number, total: number, 
/**
 * Why the review could not run at all (an unknown team, a connection that is not an Admin's…).
 */
error: ErrorDto | null, };

export type ReviewOutcomeKind = "done" | "failed" | "notRun";

export type ReviewUserDto = { 
/**
 * Null for an email no member has.
 */
memberId: string | null, email: string, name: string | null, outcome: ReviewOutcomeKind, 
/**
 * Set when `outcome` is `failed`.
 */
error: ErrorDto | null, };

export type ReviewDocumentDto = { id: string, name: string, 
/**
 * workbook, dataset, … (a type Sigma adds later comes through as it is).
 */
docType: string, path: string, 
/**
 * The admin's own access level; null when the admin cannot see it.
 */
adminPermission: string | null, };

export type AccessReviewDto = { reviewId: string, 
/**
 * The admin who ran it (email, else user ID): the matrix's "You (admin)".
 */
actor: string, connection: string, startedAt: string, finishedAt: string, cancelled: boolean, fileType: string | null, users: Array<ReviewUserDto>, documents: Array<ReviewDocumentDto>, 
/**
 * Distinct permission names (`view`, `edit`, … or one Sigma adds later), indexed by the pairs.
 */
permissions: Array<string>, access: Array<Array<[number, number]>>, };

export type ReviewStatusDto = { running: ReviewProgressDto | null, last: ReviewFinishedDto | null, };

export type ReviewExportDto = { path: string, users: number, documents: number, };

export type AccessKindDto = "owner" | "userGrant" | "teamGrant" | "inheritedOwner" | "inheritedUserGrant" | "inheritedTeamGrant";

export type SuggestionKindDto = "joinTeam" | "grantOnFolder" | "grantOnDocument" | "archivedTeam";

export type InodeRefDto = { id: string, name: string | null, inodeType: string, };

export type TeamRefDto = { id: string, name: string, };

export type AccessPathDto = { kind: AccessKindDto, permission: string, viaTeam: TeamRefDto | null, onInode: InodeRefDto | null, grantId: string | null, };

export type SuggestionDto = { kind: SuggestionKindDto, permission: string, team: TeamRefDto | null, onInode: InodeRefDto, 
/**
 * Who already has that grant there ("team Sales (view)", "Ann Bell (explore)").
 */
grantees: Array<string>, };

export type ExplainedMemberDto = { id: string, email: string, name: string, };

export type ExplainedDocumentDto = { id: string, name: string, docType: string, path: string, 
/**
 * The admin's own permission on it.
 */
adminPermission: string, };

export type ExplanationDto = { member: ExplainedMemberDto, document: ExplainedDocumentDto, access: string | null, paths: Array<AccessPathDto>, wouldGrant: Array<SuggestionDto>, 
/**
 * False when a folder above the document could not be read with the admin's token.
 */
ancestorsComplete: boolean, };
