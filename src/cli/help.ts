import { AUTHORITIES } from '../platform/auth/authorities.ts';

export const HELP = `Usage: deuterium <command> [options]

Operator tool for Deuterium: creates and lists tenants and their API credentials, backs up
and restores the database, and imports a tenant's data from Hydrogen.

Commands:
  tenant create <name> [--environment sandbox|production]
                                  Create a tenant; sandbox unless told otherwise. A sandbox
                                  tenant simulates card money movement and can be reset by
                                  its super-admin; a production tenant refuses both.
  tenant set-environment <id-or-name> sandbox|production
                                  Change a tenant's environment; it holds from the next request.
  tenant list                     List tenants and their environments.
  credential create --tenant <id-or-name> [--name <label>] [--authority <ROLE> ...]
                    [--app <app> ...] [--allow-ip <address-or-range> ...]
                    [--client-id <id>] [--client-secret <secret>]
                                  Create an OAuth client for client_credentials tokens.
                                  Prints client_id and client_secret once: only a bcrypt
                                  hash of the secret is stored. Without --client-id or
                                  --client-secret, random ones are generated (preferable:
                                  a secret on the command line ends up in shell history).
                                  --authority may be repeated; default ROLE_ADMIN. --app
                                  (nucleus, proton, electron, hydro; default all four; or
                                  metrics, GET /metrics, which only this tool grants) and
                                  --allow-ip (an IPv4 or IPv6 address or CIDR range; default
                                  any address) may be repeated.
  credential list [--tenant <id-or-name>]
                                  List credentials (never their secrets).
  credential show --client-id <id>
                                  Show a credential: apps, allowed IPs, when and from where
                                  each secret was last used, tokens issued and active.
  credential rotate --client-id <id> [--grace-seconds <n>]
                                  Give the credential a new secret, printed once. The old
                                  one is still accepted for <n> seconds (default 86400;
                                  0 refuses it at once). Issued tokens keep working.
  credential revoke --client-id <id>
                                  Revoke the credential and every token issued with it,
                                  for good.
  credential allowlist --client-id <id> [--set <entry> ... | --add <entry> ... |
                    --remove <entry> ... | --clear]
                                  Show or change the addresses and CIDR ranges the
                                  credential and its tokens may be used from (none: any).
                                  Changes by this tool reach a running server within
                                  2 seconds; every change is in the admin audit trail.
  credential set-client-token-key --client-id <id> (--hs256-secret <secret> | --public-key-file <file>)
                                  Register how the tenant's back end signs client tokens
                                  (POST /authorization/v1/client-token) for this credential:
                                  a shared HS256 secret of at least 32 bytes, or a PEM public
                                  key (RSA of 2048 bits or more, EC P-256/P-384/P-521, Ed25519).
                                  Replaces any previous key. The secret is stored as given,
                                  since verifying needs it; prefer a key pair.
  backup --out <file> [--format custom|portable]
                                  Back up the whole database, from one consistent snapshot,
                                  while the servers keep running. custom: pg_dump's format,
                                  which needs PostgreSQL's client programs of the server's
                                  version or newer; portable: Deuterium's own, which needs
                                  none and restores with the same version of Deuterium.
                                  Default: custom when such a pg_dump is installed, else
                                  portable. Never overwrites <file>.
  restore <file> [--force] [--jobs <n>]
                                  Restore a backup into an empty database (a new DATA_DIR, or
                                  a new database at DATABASE_URL); refused while anything is
                                  connected to it. --force first drops everything the
                                  database holds. --jobs restores a pg_dump archive over <n>
                                  connections at once (1, the default, is all or nothing).
  import --from <base URL> --client-id <id> --client-secret <secret> --tenant <id-or-name>
         [--concurrency <n>] [--page-size <n>] [--dry-run]
                                  Copy every Nucleus record of a Hydrogen (or Deuterium) server,
                                  read through its API, into the tenant with its own id,
                                  secondary_id, create_date and update_date. Resumable: run it
                                  again after a stop, or later for what changed since. Passwords
                                  and unshown webhook secrets are not imported (the report says
                                  what to do). --concurrency: entities read at once (default 2);
                                  --page-size: records per request (default 500); --dry-run
                                  reads everything and writes nothing. See docs/import.md.
  hydro key-create --out <file>   Create a user's Ethereum key for client-side Raindrop in <file>
                                  (never overwritten); prints its address.
  hydro register --key-file <file> --hydro-id <id> [--url <server> --token <token>]
                                  Register a HydroID for the key's address on the chain's HydroID
                                  registry, through the server (which pays the gas).
  hydro sign --key-file <file> --message <six digits> [--hydro-id <id> --url <server> --token <token>]
                                  Sign a message (EIP-191); with --hydro-id, submit the signature
                                  to the server for verification, else print it.
  hydro deploy --rpc-url <url> --key-file <file>
                                  Deploy Hydro's contracts to an Ethereum node from the key's
                                  address and print the HYDRO_* settings for the server.
                                  hydro commands use no database; --url and --token default to
                                  DEUTERIUM_URL and DEUTERIUM_TOKEN.
  help                            Show this text.

Options:
  --json                          Print JSON instead of readable text.
  -h, --help                      Show this text.

Authorities: ${AUTHORITIES.join(', ')}

Storage: the same settings as the server. With DATABASE_URL, PostgreSQL at that URL;
otherwise the embedded PostgreSQL in DATA_DIR (default ./data). While the server runs,
this tool works on its database beside it; when none runs, it starts the embedded
server for the command and stops it after.

Exit codes: 0 success, 1 failure (unknown tenant, duplicate client id, a non-empty database
to restore into...), 2 usage error.`;
