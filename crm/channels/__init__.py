"""Group robots of units: 企业微信 群机器人 and 钉钉 自定义机器人 (issue 16; docs/CHANNELS.md)."""
