/**
 * @module
 * The URLs of 360dialog's API below the configured host URL (specs/providers.md §2).
 */

export interface Endpoints {
  /** `POST` a message, or a read mark. */
  messages: string
  /** Where webhook URL and headers are set (`POST`) and read (`GET`). */
  webhookConfig: string
  /** `GET` a medium's download URL (Cloud API) or its bytes (On-Premise). */
  media(mediaId: string): string
  /**
   * Where to fetch a download URL 360dialog handed out, and whether the API key may go with it.
   * Meta's `lookaside.fbsbx.com` URLs are fetched through the API host, as 360dialog requires; the
   * key never goes to any other host.
   */
  download(url: string): { url: string; withKey: boolean }
}

export function endpoints(hostUrl: string): Endpoints {
  const base = hostUrl.replace(/\/+$/, '')
  const origin = new URL(base).origin
  // The Cloud API serves messages at the root but keeps the webhook config under /v1; a host URL
  // that already ends in /v1 (the On-Premise style) has it directly below.
  const webhookConfig = /\/v1$/.test(base)
    ? `${base}/configs/webhook`
    : `${base}/v1/configs/webhook`
  return {
    messages: `${base}/messages`,
    webhookConfig,
    media: (mediaId) => `${base}/${encodeURIComponent(mediaId)}`,
    download(url) {
      const target = new URL(url, `${base}/`)
      if (target.hostname === 'fbsbx.com' || target.hostname.endsWith('.fbsbx.com')) {
        return { url: `${origin}${target.pathname}${target.search}`, withKey: true }
      }
      return { url: target.toString(), withKey: target.origin === origin }
    },
  }
}

const ON_PREMISE_HOSTS: ReadonlySet<string> = new Set([
  'waba.360dialog.io',
  'waba-sandbox.360dialog.io',
])

/**
 * Why a host URL probably does not reach the Cloud API, or undefined. `https://waba.360dialog.io`
 * is the default of Expertflow's own connector and serves only the retired On-Premise API.
 */
export function hostUrlWarning(hostUrl: string): string | undefined {
  const url = new URL(hostUrl)
  if (!ON_PREMISE_HOSTS.has(url.hostname)) return undefined
  return `HOST-URL ${url.origin} is 360dialog's On-Premise API host; numbers on the Cloud API are served by https://waba-v2.360dialog.io. Set HOST-URL to it if sends fail with 404`
}
