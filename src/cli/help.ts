import { AUTHORITIES } from '../platform/auth/authorities.ts';

export const HELP = `Usage: deuterium <command> [options]

Operator tool for Deuterium: creates and lists tenants and their API credentials.

Commands:
  tenant create <name>            Create a tenant.
  tenant list                     List tenants.
  credential create --tenant <id-or-name> [--name <label>] [--authority <ROLE> ...]
                    [--client-id <id>] [--client-secret <secret>]
                                  Create an OAuth client for client_credentials tokens.
                                  Prints client_id and client_secret once: only a bcrypt
                                  hash of the secret is stored. Without --client-id or
                                  --client-secret, random ones are generated (preferable:
                                  a secret on the command line ends up in shell history).
                                  --authority may be repeated; default ROLE_ADMIN.
  credential list [--tenant <id-or-name>]
                                  List credentials (never their secrets).
  help                            Show this text.

Options:
  --json                          Print JSON instead of readable text.
  -h, --help                      Show this text.

Authorities: ${AUTHORITIES.join(', ')}

Storage: the same settings as the server. With DATABASE_URL, PostgreSQL at that URL;
otherwise the embedded PGlite database in DATA_DIR (default ./data). PGlite allows one
process per data directory, so against DATA_DIR run this tool only while the server is
stopped; against PostgreSQL it can run at any time.

Exit codes: 0 success, 1 failure (unknown tenant, duplicate client id...), 2 usage error.`;
