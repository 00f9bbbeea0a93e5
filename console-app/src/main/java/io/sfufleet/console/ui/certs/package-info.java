/** The Certificates screen: the site CA (create, show, export its PEM) and the nodes' certificates (issue, push, expiry). */
package io.sfufleet.console.ui.certs;
