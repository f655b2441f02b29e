/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 004ee1a61a28d17acaeea52fb16d353dc103995a */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Mailer___construct, 0, 0, 1)
	ZEND_ARG_TYPE_INFO(0, host, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, port, IS_LONG, 0, "25")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, user, IS_STRING, 0, "\"\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, pass, IS_STRING, 0, "\"\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, debug, _IS_BOOL, 0, "false")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_sendmail, 0, 4, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, from, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, to, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO(0, subject, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, headers, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_send, 0, 1, IS_STRING, 0)
	ZEND_ARG_OBJ_INFO(0, message, Mailer\\Message, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_sendRaw, 0, 3, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, from, IS_STRING, 0)
	ZEND_ARG_TYPE_MASK(0, to, MAY_BE_STRING|MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_sign, 0, 1, IS_STRING, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, message, Mailer\\Message, MAY_BE_STRING, NULL)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_debug, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, message, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_connect, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Mailer_close arginfo_class_Mailer_connect

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_isConnected, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_getCapabilities, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_getLastReply, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

#define arginfo_class_Mailer_getLastRecipients arginfo_class_Mailer_getCapabilities

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_sendMany, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_OBJ_TYPE_MASK(0, messages, Traversable, MAY_BE_ARRAY, NULL)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, onResult, IS_CALLABLE, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_from, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, address, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, name, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_to, 0, 0, IS_STATIC, 0)
	ZEND_ARG_VARIADIC_TYPE_INFO(0, addresses, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Mailer_Message_cc arginfo_class_Mailer_Message_to

#define arginfo_class_Mailer_Message_bcc arginfo_class_Mailer_Message_to

#define arginfo_class_Mailer_Message_replyTo arginfo_class_Mailer_Message_to

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_subject, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, subject, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_text, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Mailer_Message_html arginfo_class_Mailer_Message_text

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_attach, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, path, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, name, IS_STRING, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, contentType, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_attachData, 0, 2, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, contentType, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_embed, 0, 2, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, path, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, cid, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, contentType, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_header, 0, 2, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, value, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Message_toString, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Mailer_Result___construct, 0, 0, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Mailer_Exception_getSmtpCode, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Mailer_Exception_getEnhancedStatus arginfo_class_Mailer_getLastReply

#define arginfo_class_Mailer_Exception_getReply arginfo_class_Mailer_getLastReply

#define arginfo_class_Mailer_Exception_getCommand arginfo_class_Mailer_getLastReply

#define arginfo_class_Mailer_Exception_getStage arginfo_class_Mailer_Message_toString

#define arginfo_class_Mailer_RecipientException_getRejected arginfo_class_Mailer_getCapabilities


ZEND_METHOD(Mailer, __construct);
ZEND_METHOD(Mailer, sendmail);
ZEND_METHOD(Mailer, send);
ZEND_METHOD(Mailer, sendRaw);
ZEND_METHOD(Mailer, sign);
ZEND_METHOD(Mailer, debug);
ZEND_METHOD(Mailer, connect);
ZEND_METHOD(Mailer, close);
ZEND_METHOD(Mailer, isConnected);
ZEND_METHOD(Mailer, getCapabilities);
ZEND_METHOD(Mailer, getLastReply);
ZEND_METHOD(Mailer, getLastRecipients);
ZEND_METHOD(Mailer, sendMany);
ZEND_METHOD(Mailer_Message, from);
ZEND_METHOD(Mailer_Message, to);
ZEND_METHOD(Mailer_Message, cc);
ZEND_METHOD(Mailer_Message, bcc);
ZEND_METHOD(Mailer_Message, replyTo);
ZEND_METHOD(Mailer_Message, subject);
ZEND_METHOD(Mailer_Message, text);
ZEND_METHOD(Mailer_Message, html);
ZEND_METHOD(Mailer_Message, attach);
ZEND_METHOD(Mailer_Message, attachData);
ZEND_METHOD(Mailer_Message, embed);
ZEND_METHOD(Mailer_Message, header);
ZEND_METHOD(Mailer_Message, toString);
ZEND_METHOD(Mailer_Result, __construct);
ZEND_METHOD(Mailer_Exception, getSmtpCode);
ZEND_METHOD(Mailer_Exception, getEnhancedStatus);
ZEND_METHOD(Mailer_Exception, getReply);
ZEND_METHOD(Mailer_Exception, getCommand);
ZEND_METHOD(Mailer_Exception, getStage);
ZEND_METHOD(Mailer_RecipientException, getRejected);


static const zend_function_entry class_Mailer_methods[] = {
	ZEND_ME(Mailer, __construct, arginfo_class_Mailer___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, sendmail, arginfo_class_Mailer_sendmail, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, send, arginfo_class_Mailer_send, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, sendRaw, arginfo_class_Mailer_sendRaw, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, sign, arginfo_class_Mailer_sign, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, debug, arginfo_class_Mailer_debug, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, connect, arginfo_class_Mailer_connect, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, close, arginfo_class_Mailer_close, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, isConnected, arginfo_class_Mailer_isConnected, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, getCapabilities, arginfo_class_Mailer_getCapabilities, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, getLastReply, arginfo_class_Mailer_getLastReply, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, getLastRecipients, arginfo_class_Mailer_getLastRecipients, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer, sendMany, arginfo_class_Mailer_sendMany, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Mailer_Message_methods[] = {
	ZEND_ME(Mailer_Message, from, arginfo_class_Mailer_Message_from, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, to, arginfo_class_Mailer_Message_to, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, cc, arginfo_class_Mailer_Message_cc, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, bcc, arginfo_class_Mailer_Message_bcc, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, replyTo, arginfo_class_Mailer_Message_replyTo, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, subject, arginfo_class_Mailer_Message_subject, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, text, arginfo_class_Mailer_Message_text, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, html, arginfo_class_Mailer_Message_html, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, attach, arginfo_class_Mailer_Message_attach, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, attachData, arginfo_class_Mailer_Message_attachData, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, embed, arginfo_class_Mailer_Message_embed, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, header, arginfo_class_Mailer_Message_header, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Message, toString, arginfo_class_Mailer_Message_toString, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Mailer_Result_methods[] = {
	ZEND_ME(Mailer_Result, __construct, arginfo_class_Mailer_Result___construct, ZEND_ACC_PRIVATE)
	ZEND_FE_END
};


static const zend_function_entry class_Mailer_Exception_methods[] = {
	ZEND_ME(Mailer_Exception, getSmtpCode, arginfo_class_Mailer_Exception_getSmtpCode, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Exception, getEnhancedStatus, arginfo_class_Mailer_Exception_getEnhancedStatus, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Exception, getReply, arginfo_class_Mailer_Exception_getReply, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Exception, getCommand, arginfo_class_Mailer_Exception_getCommand, ZEND_ACC_PUBLIC)
	ZEND_ME(Mailer_Exception, getStage, arginfo_class_Mailer_Exception_getStage, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Mailer_ConnectionException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Mailer_AuthenticationException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Mailer_RecipientException_methods[] = {
	ZEND_ME(Mailer_RecipientException, getRejected, arginfo_class_Mailer_RecipientException_getRejected, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Mailer(void)
{
	zend_class_entry ce, *class_entry;

	INIT_CLASS_ENTRY(ce, "Mailer", class_Mailer_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval const_VERSION_value;
	zend_string *const_VERSION_value_str = zend_string_init(PHP_MAILER_VERSION, strlen(PHP_MAILER_VERSION), 1);
	ZVAL_STR(&const_VERSION_value, const_VERSION_value_str);
	zend_string *const_VERSION_name = zend_string_init_interned("VERSION", sizeof("VERSION") - 1, 1);
	zend_declare_class_constant_ex(class_entry, const_VERSION_name, &const_VERSION_value, ZEND_ACC_PUBLIC, NULL);
	zend_string_release(const_VERSION_name);
#if (PHP_VERSION_ID >= 80200)


	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 3, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);

	zend_add_parameter_attribute(zend_hash_str_find_ptr(&class_entry->function_table, "__construct", sizeof("__construct") - 1), 5, ZSTR_KNOWN(ZEND_STR_SENSITIVEPARAMETER), 0);
#endif

	return class_entry;
}

static zend_class_entry *register_class_Mailer_Message(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Mailer", "Message", class_Mailer_Message_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_Mailer_Result(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Mailer", "Result", class_Mailer_Result_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	zval property_status_default_value;
	ZVAL_UNDEF(&property_status_default_value);
	zend_string *property_status_name = zend_string_init("status", sizeof("status") - 1, 1);
	zend_declare_typed_property(class_entry, property_status_name, &property_status_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_status_name);

	zval property_reply_default_value;
	ZVAL_UNDEF(&property_reply_default_value);
	zend_string *property_reply_name = zend_string_init("reply", sizeof("reply") - 1, 1);
	zend_declare_typed_property(class_entry, property_reply_name, &property_reply_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_reply_name);

	zval property_queueId_default_value;
	ZVAL_UNDEF(&property_queueId_default_value);
	zend_string *property_queueId_name = zend_string_init("queueId", sizeof("queueId") - 1, 1);
	zend_declare_typed_property(class_entry, property_queueId_name, &property_queueId_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_queueId_name);

	zval property_recipients_default_value;
	ZVAL_UNDEF(&property_recipients_default_value);
	zend_string *property_recipients_name = zend_string_init("recipients", sizeof("recipients") - 1, 1);
	zend_declare_typed_property(class_entry, property_recipients_name, &property_recipients_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_recipients_name);

	zend_string *property_error_class_Mailer_Exception = zend_string_init("Mailer\\Exception", sizeof("Mailer\\Exception")-1, 1);
	zval property_error_default_value;
	ZVAL_UNDEF(&property_error_default_value);
	zend_string *property_error_name = zend_string_init("error", sizeof("error") - 1, 1);
	zend_declare_typed_property(class_entry, property_error_name, &property_error_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_CLASS(property_error_class_Mailer_Exception, 0, MAY_BE_NULL));
	zend_string_release(property_error_name);

	return class_entry;
}

static zend_class_entry *register_class_Mailer_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Mailer", "Exception", class_Mailer_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	zval property_smtpCode_default_value;
	ZVAL_LONG(&property_smtpCode_default_value, 0);
	zend_string *property_smtpCode_name = zend_string_init("smtpCode", sizeof("smtpCode") - 1, 1);
	zend_declare_typed_property(class_entry, property_smtpCode_name, &property_smtpCode_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_smtpCode_name);

	zval property_enhancedStatus_default_value;
	ZVAL_NULL(&property_enhancedStatus_default_value);
	zend_string *property_enhancedStatus_name = zend_string_init("enhancedStatus", sizeof("enhancedStatus") - 1, 1);
	zend_declare_typed_property(class_entry, property_enhancedStatus_name, &property_enhancedStatus_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_enhancedStatus_name);

	zval property_reply_default_value;
	ZVAL_NULL(&property_reply_default_value);
	zend_string *property_reply_name = zend_string_init("reply", sizeof("reply") - 1, 1);
	zend_declare_typed_property(class_entry, property_reply_name, &property_reply_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_reply_name);

	zval property_command_default_value;
	ZVAL_NULL(&property_command_default_value);
	zend_string *property_command_name = zend_string_init("command", sizeof("command") - 1, 1);
	zend_declare_typed_property(class_entry, property_command_name, &property_command_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING|MAY_BE_NULL));
	zend_string_release(property_command_name);

	zval property_stage_default_value;
	ZVAL_EMPTY_STRING(&property_stage_default_value);
	zend_string *property_stage_name = zend_string_init("stage", sizeof("stage") - 1, 1);
	zend_declare_typed_property(class_entry, property_stage_name, &property_stage_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_stage_name);

	return class_entry;
}

static zend_class_entry *register_class_Mailer_ConnectionException(zend_class_entry *class_entry_Mailer_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Mailer", "ConnectionException", class_Mailer_ConnectionException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Mailer_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Mailer_AuthenticationException(zend_class_entry *class_entry_Mailer_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Mailer", "AuthenticationException", class_Mailer_AuthenticationException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Mailer_Exception);

	return class_entry;
}

static zend_class_entry *register_class_Mailer_RecipientException(zend_class_entry *class_entry_Mailer_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Mailer", "RecipientException", class_Mailer_RecipientException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_Mailer_Exception);

	zval property_rejected_default_value;
	ZVAL_EMPTY_ARRAY(&property_rejected_default_value);
	zend_string *property_rejected_name = zend_string_init("rejected", sizeof("rejected") - 1, 1);
	zend_declare_typed_property(class_entry, property_rejected_name, &property_rejected_default_value, ZEND_ACC_PROTECTED, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_rejected_name);

	return class_entry;
}
