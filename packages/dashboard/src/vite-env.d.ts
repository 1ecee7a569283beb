/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The Parley server's URL, for a dashboard deployed apart from it (unset: this origin). */
  readonly VITE_PARLEY_API_URL?: string;
}
