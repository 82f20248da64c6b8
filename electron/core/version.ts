/** Kept in step with package.json by the release process; read here so core needs no package.json at run time. */
export const APP_VERSION = '0.1.0';
