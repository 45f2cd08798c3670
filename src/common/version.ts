/** Version of the host and of the bundled plugin; kept in step with package.json by a test. */
export const PRODUCT_VERSION = '0.1.0';
export const HOST_API_VERSION = '1.0.0';
