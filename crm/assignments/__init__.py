"""三个一: 分包县级领导, 牵头单位, 服务专班 and 推进方案 of key projects."""
