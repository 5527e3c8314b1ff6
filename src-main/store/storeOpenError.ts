// The error a user sees when a database cannot be opened: it names the file and says why.
export class StoreOpenError extends Error {
  override name = 'StoreOpenError'
}
