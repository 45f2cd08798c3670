/**
 * The one description of the plugin's settings object: each part's schema gives its TypeScript
 * type (Static) and its JSON Schema. The manifest's `contributes.settings` is generated from
 * PluginSettingsSchema (`npm run manifest:settings`; a test fails while it is stale), the host's
 * settings store validates every write against it, and the readers fill its defaults.
 * Rules that cross fields live in settings-rules.ts and selection.ts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Port = Type.Integer({ minimum: 1, maximum: 65535 });

export const LocalLicenseServerSchema = Type.Object(
  {
    kind: Type.Literal('local'),
    folder: Type.String({ minLength: 1 }),
    flsUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
  },
  { additionalProperties: false },
);

export const RemoteLicenseServerSchema = Type.Object(
  {
    kind: Type.Literal('remote'),
    host: Type.String({ minLength: 1 }),
    /** The remote FLS's HTTP port. */
    port: Port,
    /** The shared license folder, `\\host\share\path`. */
    share: Type.String({ minLength: 3 }),
    /** SMB port when not the standard 445 (Samba on another port). */
    smbPort: Type.Optional(Port),
  },
  { additionalProperties: false },
);

export const LicenseServerSelectionSchema = Type.Union([LocalLicenseServerSchema, RemoteLicenseServerSchema], {
  description:
    'The selected floating license server: local (a license folder on this machine; flsUrl, or the embedded FLS when absent) or remote (FLS host and port, shared license folder \\\\host\\share\\path, smbPort when not 445).',
});

export const ProxyModeSchema = Type.Union([Type.Literal('none'), Type.Literal('auto'), Type.Literal('manual')]);

export const RemoteServiceProxySchema = Type.Object(
  {
    mode: ProxyModeSchema,
    host: Type.Optional(Type.String()),
    port: Type.Optional(Port),
    /** [Proxy-Serverauthentifizierung]: user name, password (secret), domain. */
    authenticate: Type.Optional(Type.Boolean()),
    username: Type.Optional(Type.String()),
    domain: Type.Optional(Type.String()),
    /** Kerberos service name of a manual proxy when it differs from HTTP/<proxy host> (HTTP/host, HTTP@host or host). */
    kerberosServiceName: Type.Optional(Type.String()),
  },
  { additionalProperties: false, default: { mode: 'none' } },
);

export const ServiceControlSettingSchema = Type.Union([Type.Literal('auto'), Type.Literal('embedded'), Type.Literal('systemd'), Type.Literal('windows')], { default: 'auto' });

export const RemoteServiceSettingsSchema = Type.Object(
  {
    /** [Aktivieren]: while off there is no connection to the back office. */
    enabled: Type.Boolean({ default: false }),
    /** [Remote Assistance]: the remote-assistance feature; refused with proxy mode 'auto'. */
    remoteAssistanceFeature: Type.Boolean({ default: false }),
    /** [Fernunterstützung zulassen] (SPEC F4). */
    allowRemoteAssistance: Type.Boolean({ default: false }),
    /** [Serviceorganisation-ID]. */
    organisationId: Type.String({ default: '' }),
    /** The vendor's back office (HTTPS). */
    backofficeUrl: Type.String({ default: '' }),
    /** Extra CA bundle (PEM file) for the back office or a TLS-inspecting proxy. */
    caFile: Type.Optional(Type.String()),
    proxy: RemoteServiceProxySchema,
    /** How the ORS service is run and controlled. */
    serviceControl: ServiceControlSettingSchema,
  },
  {
    additionalProperties: false,
    description: 'Remote Service settings (SPEC F3/F4). Secrets (verificationCode, proxyPassword, orsAccountPassword) are in the secrets store, never here.',
  },
);

export const RemoteAssistanceSettingsSchema = Type.Object(
  { teamViewerPath: Type.Optional(Type.String({ maxLength: 1024 })) },
  {
    additionalProperties: false,
    description:
      'Remote assistance (SPEC F4): teamViewerPath is a TeamViewer QuickSupport (or client) program, or the folder holding it, used before any installed TeamViewer.',
  },
);

export const OrsAccountSchema = Type.Union(
  [
    Type.Object({ kind: Type.Literal('localSystem') }, { additionalProperties: false }),
    Type.Object({ kind: Type.Literal('other'), username: Type.String(), domain: Type.Optional(Type.String()) }, { additionalProperties: false }),
  ],
  {
    description:
      'The ORS service account: runs the ORS service and writes to a remote license folder. Its password is the secret orsAccountPassword. Shared by the Licenses and Remote Service dialogs.',
  },
);

/** The console node each part belongs to (`x-node`; the audit view filters by it), and the node of each secret. */
const nodeOf = <T extends TSchema>(schema: T, node: string): T => ({ ...schema, 'x-node': node });

export const PluginSettingsSchema = Type.Object(
  {
    licenseServer: Type.Optional(nodeOf(LicenseServerSelectionSchema, 'licenses')),
    remoteService: Type.Optional(nodeOf(RemoteServiceSettingsSchema, 'remote-service')),
    remoteAssistance: Type.Optional(nodeOf(RemoteAssistanceSettingsSchema, 'remote-assistance')),
    orsAccount: Type.Optional(nodeOf(OrsAccountSchema, 'licenses')),
  },
  { 'x-secret-nodes': { verificationCode: 'remote-service', proxyPassword: 'remote-service', orsAccountPassword: 'licenses' } },
);

export type LicenseServerSelection = Readonly<Static<typeof LicenseServerSelectionSchema>>;
export type ProxyMode = Static<typeof ProxyModeSchema>;
export type RemoteServiceProxy = Readonly<Static<typeof RemoteServiceProxySchema>>;
export type RemoteServiceSettings = Readonly<Omit<Static<typeof RemoteServiceSettingsSchema>, 'proxy'>> & { readonly proxy: RemoteServiceProxy };
export type RemoteAssistanceSettings = Readonly<Static<typeof RemoteAssistanceSettingsSchema>>;
export type OrsAccount = Readonly<Static<typeof OrsAccountSchema>>;
export type PluginSettingsValues = Static<typeof PluginSettingsSchema>;

/** The JSON Schema as plain JSON (what the manifest holds): TypeBox's own symbol keys dropped. */
export function jsonSchemaOf(schema: TSchema): object {
  return JSON.parse(JSON.stringify(schema)) as object;
}

/** The defaults the schema declares, for a settings part that is missing or was stored before a field existed. */
export function withDefaults<T extends Record<string, unknown>>(schema: TSchema & { properties: Record<string, TSchema> }, value: Partial<T> | undefined): T {
  const out: Record<string, unknown> = { ...(value ?? {}) };
  for (const [key, prop] of Object.entries(schema.properties)) {
    if (out[key] === undefined && prop.default !== undefined) out[key] = structuredClone(prop.default);
  }
  return out as T;
}
