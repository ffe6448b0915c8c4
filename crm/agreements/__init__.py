"""协议: investment agreements with their attachments."""
