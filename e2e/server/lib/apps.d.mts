export interface StartedApp {
  url: string
  close(): Promise<void>
}
export function startExpressApp(mode: 'token' | 'cookie'): Promise<StartedApp>
export function startFastifyApp(mode: 'token' | 'cookie'): Promise<StartedApp>
