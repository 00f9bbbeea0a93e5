/** The node's configuration: defaults, then one TOML file, then SFU_* environment variables, validated once. */
package io.sfufleet.sfu.config;
