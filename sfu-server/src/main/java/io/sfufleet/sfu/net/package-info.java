/** Choosing Netty's transport (epoll where the kernel has it) and the address the node advertises. */
package io.sfufleet.sfu.net;
