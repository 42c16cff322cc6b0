/** Federated learning across hospitals with encrypted aggregation: coordinator, hospital node, transport. */
package org.glovebox.federated;
