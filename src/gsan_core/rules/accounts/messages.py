"""The account rules' messages (customers, ODB-, ACR-, IDX-, EXT-, CND-, CNC-)."""

from __future__ import annotations

from gsan_core.errors import Message

# ---------------------------------------------------------------- customers
PROPERTY_NOT_FOUND = Message(
    "accounts.property.not_found",
    en="Property {property_id} does not exist.",
    pt="Imóvel {property_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="CND-01",
)
CUSTOMER_NOT_FOUND = Message(
    "accounts.customer.not_found",
    en="Customer {customer_id} does not exist.",
    pt="Cliente {customer_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="CNC-01",
)
CUSTOMER_TYPE_NOT_FOUND = Message(
    "accounts.customer.type_not_found",
    en="Customer type {customer_type_id} does not exist.",
    pt="Tipo de cliente {customer_type_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
)
POWER_SPHERE_NOT_FOUND = Message(
    "accounts.customer.power_sphere_not_found",
    en="Sphere of power {power_sphere_id} does not exist.",
    pt="Esfera de poder {power_sphere_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
)
NAME_REQUIRED = Message(
    "accounts.customer.name_required",
    en="The customer's name is required.",
    pt="Informe o nome do cliente.",
    gsan_key="atencao.required",
)
INVALID_CPF = Message(
    "accounts.customer.invalid_cpf",
    en="The CPF {document!r} is not valid.",
    pt="CPF {document!r} inválido.",
    gsan_key="atencao.cpf_invalido",
)
INVALID_CNPJ = Message(
    "accounts.customer.invalid_cnpj",
    en="The CNPJ {document!r} is not valid.",
    pt="CNPJ {document!r} inválido.",
    gsan_key="atencao.cnpj_invalido",
)
DOCUMENT_KIND_MISMATCH = Message(
    "accounts.customer.document_kind_mismatch",
    en="A {kind} customer is identified by a {expected}, not {document!r}.",
    pt="Cliente {kind_pt} deve ser identificado por {expected}, não por {document!r}.",
    gsan_key="atencao.tipo_cliente_documento_invalido",
)
DUPLICATE_DOCUMENT = Message(
    "accounts.customer.duplicate_document",
    en="Customer {other_id} already has the document {document!r}.",
    pt="O documento {document!r} já está cadastrado para o cliente {other_id}.",
    gsan_key="atencao.cpf_cnpj_ja_cadastrado",
)
RESPONSIBLE_CYCLE = Message(
    "accounts.customer.responsible_cycle",
    en="Customer {customer_id} cannot answer to {responsible_id}: the hierarchy would loop.",
    pt="O cliente {customer_id} não pode ter o cliente {responsible_id} como responsável: a hierarquia ficaria circular.",
    gsan_key="atencao.cliente_responsavel_invalido",
)
RELATION_PERIOD_INVALID = Message(
    "accounts.relation.period_invalid",
    en="A relation must end after it starts ({start} .. {end}).",
    pt="A data de fim da relação ({end}) deve ser posterior à de início ({start}).",
    gsan_key="atencao.data_fim_relacao_menor_data_inicio",
)
RELATION_OVERLAP = Message(
    "accounts.relation.overlap",
    en="Property {property_id} already has a {relation} from {start} in that period.",
    pt="O imóvel {property_id} já possui cliente {relation_pt} a partir de {start} nesse período.",
    gsan_key="atencao.imovel_ja_possui_cliente_relacao",
)
RELATION_NOT_FOUND = Message(
    "accounts.relation.not_found",
    en="Relation {relation_id} does not exist.",
    pt="Relação cliente-imóvel {relation_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
)

# ---------------------------------------------------------------- surcharges
MONTH_TOO_LATE = Message(
    "accounts.index.month_too_late",
    en="The month {month} is after {limit}, the month after the latest index.",
    pt="Mês/Ano de referência informado maior que o {limit}.",
    gsan_key="atencao.mes_ano_referencia_maior",
    rule="IDX-01",
)
RATE_INVALID = Message(
    "accounts.index.rate_invalid",
    en="{field} must be more than 0 and at most {limit}, got {value}.",
    pt="Percentual de {field_pt} inválido: deve ser maior que 0 e no máximo {limit}.",
    gsan_key="atencao.percentual_invalido",
    rule="IDX-02",
)
LIMIT_INVALID = Message(
    "accounts.index.limit_invalid",
    en="{field} must be more than 0 and at most 999, got {value}.",
    pt="Percentual de {field_pt} inválido: deve ser maior que 0 e no máximo 999.",
    gsan_key="atencao.percentual_invalido",
    rule="IDX-03",
)
INDEX_MONTH_MISSING = Message(
    "accounts.index.month_missing",
    en="There is no surcharge index for {month}.",
    pt="Não existe índice de acréscimos por impontualidade para {month}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="IDX-05",
)
AMOUNT_INVALID = Message(
    "accounts.amount.invalid",
    en="{field} must be a finite amount of at least 0, got {value}.",
    pt="O valor de {field_pt} deve ser um número finito maior ou igual a zero ({value}).",
    gsan_key="atencao.valor_invalido",
)

# ---------------------------------------------------------------- statement
NO_DEBT_NOR_CREDIT = Message(
    "accounts.statement.nothing_to_list",
    en="Property {property_id} has no debt or credit to put on a statement.",
    pt="Imóvel não tem débito/crédito para ser emitido o extrato de débitos.",
    gsan_key="atencao.imovel_sem_debito_credito",
    rule="EXT-07",
)
CUSTOMER_WITHOUT_PROPERTIES = Message(
    "accounts.statement.customer_without_properties",
    en="Customer {customer_id} (and the customers under it) has no current property.",
    pt="A pesquisa não retornou nenhum resultado.",
    gsan_key="atencao.relatorio.vazio",
    rule="EXT-20",
)
SPECIAL_SITUATION = Message(
    "accounts.statement.special_situation",
    en="Property {property_id} is in a special collection situation that issues no document.",
    pt="Extrato não emitido: imóvel em situação especial de cobrança.",
    gsan_key="atencao.extratonaoemitido_imovel_situacaoespecial",
    rule="EXT-13",
)
NEGATIVE_RESULT = Message(
    "accounts.statement.negative",
    en="The selection adds up to {value}, below zero: no statement can be issued.",
    pt="Resultado da Seleção está negativo, extrato não pode ser emitido.",
    gsan_key="atencao.resultado.negativo",
    rule="EXT-14",
)
ITEM_NOT_OPEN = Message(
    "accounts.statement.item_not_open",
    en="Item {debt_id} is not an open item of property {property_id}.",
    pt="O item {debt_id} não é um débito/crédito em aberto do imóvel {property_id}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="EXT-01",
)
DISCOUNT_NEEDS_PERMISSION = Message(
    "accounts.statement.discount_needs_permission",
    en="Including surcharges with a discount needs special permission 43.",
    pt="Incluir acréscimos com desconto exige a permissão especial 43.",
    gsan_key="atencao.usuario_sem_permissao_especial",
    rule="EXT-10",
)

# ---------------------------------------------------------------- certificates
PROPERTY_HAS_DEBTS = Message(
    "accounts.certificate.property_has_debts",
    en="Property {property_id} has debts: no no-debt certificate can be issued.",
    pt="Imóvel possui débitos, não permitindo a geração da certidão negativa.",
    gsan_key="atencao.imovel_com_debitos_certidao",
    rule="CND-04",
)
RESPONSIBLE_SPHERE_REFUSES = Message(
    "accounts.certificate.responsible_sphere_refuses",
    en="The sphere of power of the property's responsible customer does not allow a certificate.",
    pt="A esfera de poder do cliente responsável não permite a geração da certidão negativa.",
    gsan_key="atencao.esfera_poder_responsavel_nao_permite_geracao_certidao_negativa",
    rule="CND-02",
)
CUSTOMER_SPHERE_REFUSES = Message(
    "accounts.certificate.customer_sphere_refuses",
    en="The customer's sphere of power does not allow a certificate.",
    pt="A esfera de poder do cliente não permite a geração da certidão negativa.",
    gsan_key="atencao.esfera_poder_nao_permite_geracao_certidao_negativa",
    rule="CNC-02",
)
SUPERIOR_CUSTOMER = Message(
    "accounts.certificate.superior_customer",
    en="Customer {customer_id} answers to customer {responsible_id}.",
    pt="Existe cliente superior ao informado.",
    gsan_key="atencao.existe_cliente_superior",
    rule="CNC-03",
)
CUSTOMER_HAS_DEBTS = Message(
    "accounts.certificate.customer_has_debts",
    en="Customer {customer_id} has debts.",
    pt="O cliente possui débitos.",
    gsan_key="atencao.cliente_com_debitos",
    rule="CNC-06",
)
CODE_REQUIRED = Message(
    "accounts.certificate.code_required",
    en="The property and the authentication code are required.",
    pt="Informe a matrícula do imóvel e o código de autenticação.",
    gsan_key="errors.portal.obrigatorio",
    rule="CND-11",
)
CODE_INVALID = Message(
    "accounts.certificate.code_invalid",
    en="No certificate of property {property_id} has the code {code!r}.",
    pt="Certidão inválida: não existe certidão do imóvel com esse código de autenticação.",
    gsan_key="errors.portal.invalida",
    rule="CND-11",
)
CODE_EXPIRED = Message(
    "accounts.certificate.code_expired",
    en="The certificate {code!r} expired on {valid_until}.",
    pt="Certidão fora do período de validade.",
    gsan_key="errors.portal.fora_periodo_validade",
    rule="CND-11",
)

# ---------------------------------------------------------------- second copy
BILL_IN_REVIEW = Message(
    "accounts.bill_copy.in_review",
    en="Bill {debt_id} is under review: no copy can be issued.",
    pt="Não é permitido emitir segunda via de conta em revisão.",
    gsan_key="atencao.nao_permite_emitir_conta_em_revisao",
    rule="SVS-04",
)
CUSTOMER_WITHOUT_DOCUMENT = Message(
    "accounts.bill_copy.customer_without_document",
    en="No customer of property {property_id} has a CPF or CNPJ.",
    pt="Nenhum cliente do imóvel possui CPF ou CNPJ informado.",
    gsan_key="atencao.cliente_documento_nao_informado",
    rule="SVS-06",
)
NO_OPEN_BILL = Message(
    "accounts.bill_copy.no_open_bill",
    en="Property {property_id} has no open bill.",
    pt="Imóvel sem débitos.",
    gsan_key="atencao.imovel_sem_debitos",
    rule="SVS-08",
)
BILL_NOT_OPEN = Message(
    "accounts.bill_copy.bill_not_open",
    en="Bill {debt_id} is not an open bill of property {property_id}.",
    pt="A conta {debt_id} não é uma conta em aberto do imóvel {property_id}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="SVS-08",
)
COPY_SPECIAL_SITUATION = Message(
    "accounts.bill_copy.special_situation",
    en="Property {property_id} is in a special collection situation that issues no copy.",
    pt="Segunda via não emitida: imóvel em situação especial de cobrança.",
    gsan_key="atencao.segundavianaoemitido_imovel_situacaoespecial",
    rule="SVS-05",
)

# ---------------------------------------------------------------- refunds
FILTER_EMPTY = Message(
    "accounts.refund.filter_empty",
    en="Give an RA number, a property, a profile or an attendance period.",
    pt="Informe pelo menos um parâmetro de pesquisa.",
    gsan_key="atencao.filtro.nenhum_parametro_informado",
    rule="DEV-01",
)
PERIOD_INVALID = Message(
    "accounts.refund.period_invalid",
    en="The period starts ({start}) after it ends ({end}).",
    pt="A data inicial ({start}) é posterior à data final ({end}).",
    gsan_key="atencao.data.intervalo.invalido",
    rule="DEV-02",
)
REQUEST_NOT_FOUND = Message(
    "accounts.refund.request_not_found",
    en="RA {request_id} does not exist.",
    pt="Registro de Atendimento {request_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="DEV-03",
)
REQUEST_NOT_PENDING = Message(
    "accounts.refund.request_not_pending",
    en="RA {request_id} is already closed.",
    pt="Registro de Atendimento já foi Encerrado.",
    gsan_key="atencao.situacao.ra.deve.ser.pendente",
    rule="DEV-03",
)
NOT_A_REFUND_REQUEST = Message(
    "accounts.refund.not_a_refund_request",
    en="RA {request_id} is not a request for a refund of duplicated payments.",
    pt="O Registro de Atendimento não corresponde a uma devolução de pagamento em duplicidade.",
    gsan_key="atencao.ra.nao.corresponde.devolucao.pagamento",
    rule="DEV-03",
)
REFUND_PROPERTY_NOT_FOUND = Message(
    "accounts.refund.property_not_found",
    en="Property {property_id} does not exist.",
    pt="Imóvel {property_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="DEV-04",
)
NOTHING_FOUND = Message(
    "accounts.refund.nothing_found",
    en="No RA of a refund of duplicated payments matches.",
    pt="A pesquisa não retornou nenhum resultado.",
    gsan_key="atencao.pesquisa.nenhumresultado",
    rule="DEV-05",
)
NO_PAYMENT_SELECTED = Message(
    "accounts.refund.no_payment_selected",
    en="Tick at least one payment of the RA.",
    pt="Nenhum pagamento selecionado.",
    gsan_key="atencao.nenhum.pagamento.selecionado",
    rule="DEV-07",
)
PAYMENT_NOT_LINKED = Message(
    "accounts.refund.payment_not_linked",
    en="Payment {payment_id} is not a duplicated payment of RA {request_id} still to refund.",
    pt="O pagamento {payment_id} não é um pagamento em duplicidade do Registro de Atendimento a devolver.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="DEV-06",
)
BILL_NOT_OFFERED = Message(
    "accounts.refund.bill_not_offered",
    en="Bill {debt_id} is not an open bill of the property that can take a credit.",
    pt="A conta {debt_id} não é uma conta em aberto do imóvel que possa receber crédito.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="DEV-06",
)
NO_DUPLICATE_PAYMENT = Message(
    "accounts.refund.no_duplicate_payment",
    en="Property {property_id} has no duplicated payment {payment_id}.",
    pt="Não existe pagamento em duplicidade para o imóvel informado.",
    gsan_key="nao_exite_pagamento_duplicidade",
    rule="DEV-06",
)

# ---------------------------------------------------------------- contracts
CONTRACT_PROPERTY_NOT_FOUND = Message(
    "accounts.contract.property_not_found",
    en="Property {property_id} does not exist.",
    pt="Imóvel inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="CTR-01",
)
CONTRACT_CUSTOMER_NOT_OF_PROPERTY = Message(
    "accounts.contract.customer_not_of_property",
    en="Customer {customer_id} is not a customer of property {property_id}.",
    pt="O cliente {customer_id} não é cliente do imóvel {property_id}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="CTR-01",
)
CONTRACT_NOT_A_COMPANY = Message(
    "accounts.contract.not_a_company",
    en="The legal-entity contract needs a company customer; {customer_id} is a person.",
    pt="O contrato jurídico exige cliente pessoa jurídica.",
    gsan_key="atencao.cliente_pessoa_juridica",
    rule="CTR-02",
)
SIMULATION_PROPERTY_NOT_FOUND = Message(
    "accounts.simulation.property_not_found",
    en="Property {property_id} does not exist.",
    pt="Matrícula inexistente.",
    rule="SIM-01",
)
SIMULATION_SERVICE_TYPE_NOT_FOUND = Message(
    "accounts.simulation.service_type_not_found",
    en="Service type {service_type_id} does not exist.",
    pt="Tipo de Serviço inexistente.",
    rule="SIM-01",
)

# ---------------------------------------------------------------- parcelamentos
PLAN_NOT_OPEN = Message(
    "accounts.statement.plan_not_open",
    en="Installment plan {number} is not an open parcelamento of property "
    "{property_id}.",
    pt="O parcelamento {number} não está em aberto no imóvel {property_id}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="EXT-04",
)
ANTICIPATION_INVALID = Message(
    "accounts.statement.anticipation_invalid",
    en="Item {debt_id} cannot have {installments} installments anticipated "
    "({maximum} left, in a plan not ticked whole).",
    pt="Não é possível antecipar {installments} parcela(s) do item {debt_id} "
    "({maximum} restante(s)).",
    rule="EXT-04",
)
CASH_DISCOUNT_NOT_OFFERED = Message(
    "accounts.statement.cash_discount_not_offered",
    en="The cash-payment discount needs a board resolution "
    "(extrato.resolucao_diretoria) and the surcharges included.",
    pt="O desconto para pagamento à vista exige resolução de diretoria e "
    "acréscimos incluídos.",
    rule="EXT-15",
)
NO_CASH_TERMS = Message(
    "accounts.statement.no_cash_terms",
    en="No parcelamento profile gives property {property_id} cash-payment terms "
    "on {on}.",
    pt="Não há perfil de parcelamento com desconto à vista para o imóvel "
    "{property_id} em {on}.",
    rule="EXT-15",
)

# ---------------------------------------------------------------- DEV-16
GUIDE_REQUEST_WITHOUT_SUBJECT = Message(
    "accounts.refund_guide.request_without_subject",
    en="RA {request_id} has neither a property nor a principal customer "
    "requester: no refund guide can be issued from it.",
    pt="Registro de Atendimento {request_id} sem imóvel e sem cliente "
    "solicitante principal.",
    gsan_key="atencao.registro.atendimento.sem.imovel.cliente",
    rule="DEV-16",
)
GUIDE_REQUEST_CLOSED = Message(
    "accounts.refund_guide.request_closed",
    en="RA {request_id} is closed.",
    pt="Registro de Atendimento {request_id} está encerrado.",
    gsan_key="atencao.registro_atendimento.esta.encerrado",
    rule="DEV-16",
)
GUIDE_NOT_ALLOWED = Message(
    "accounts.refund_guide.not_allowed",
    en="The specification {specification_id} of RA {request_id} does not "
    "generate credit: no refund guide.",
    pt="A especificação {specification_id} do Registro de Atendimento "
    "{request_id} não permite guia de devolução.",
    gsan_key="atencao.registro_atendimento.nao.permite.guia.devolucao",
    rule="DEV-16",
)
GUIDE_ORDER_WITHOUT_REQUEST = Message(
    "accounts.refund_guide.order_without_request",
    en="Service order {order_id} does not belong to an RA.",
    pt="A ordem de serviço {order_id} não está associada a um registro de atendimento.",
    gsan_key="atencao.ordem_servico.nao.esta.associado.registro_atendimento",
    rule="DEV-16",
)
GUIDE_SUBJECT_REQUIRED = Message(
    "accounts.refund_guide.subject_required",
    en="Give the RA or the service order of the refund guide.",
    pt="Informe o registro de atendimento ou a ordem de serviço da guia de devolução.",
    gsan_key="atencao.required",
    rule="DEV-16",
)
GUIDE_ORDER_NOT_FOUND = Message(
    "accounts.refund_guide.order_not_found",
    en="Service order {order_id} does not exist.",
    pt="Ordem de serviço {order_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="DEV-16",
)
