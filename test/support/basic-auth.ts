/** The `Authorization` header value for HTTP Basic sign-in, as a browser sends it. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
