/**
 * How the first person gets into the console of a new installation: the console signs in admin
 * users, and a new tenant has none, only the super-admin API credential printed at first start.
 * Said both where that credential is printed and on the sign-in page.
 */
export function firstAdminUserHint(origin: string, clientId = '<client_id>', clientSecret = '<client_secret>'): string {
  return (
    `The console (${origin}/console) signs in admin users. Make the first one with the credential above:\n` +
    `  TOKEN=$(curl -s -u '${clientId}:${clientSecret}' -X POST '${origin}/authorization/v1/oauth/token?grant_type=client_credentials' | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')\n` +
    `  curl -X POST '${origin}/admin/v1/client' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\\n` +
    `    -d '{"username": "you@example.com", "password": "a passphrase of 10 or more", "authorities": "ROLE_SUPER_ADMIN"}'\n\n`
  );
}
